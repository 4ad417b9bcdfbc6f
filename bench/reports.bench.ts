// The after-action report of an initiative with 1,000,000 records, as a PDF and as the CSV
// bundle (the report, its tables and the export of every record, zipped): the time each takes
// from the request to its last byte, and the process's peak memory while it runs. Targets:
// under 15 seconds and under 512 MB each. On PGlite the database lives in the same process, so
// its memory is counted too; the growth during the run is printed beside it.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '#server/context.ts';
import { reportBundle } from '#server/features/reports/report-bundle.ts';
import { renderReportPdf } from '#server/features/reports/report-pdf.ts';
import { buildInitiativeReport } from '#server/features/reports/reports.service.ts';
import { saveResults } from './results.ts';
import {
  type Engine,
  eachEngineApart,
  scratchDatabase,
  seedAgency,
  seedInitiativeRecords,
} from './support.ts';

const records = Number(process.env.BENCH_REPORT_RECORDS ?? 1_000_000);

/** Counts the bytes it is given and keeps none of them. */
function byteCounter() {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => bytes };
}

/** Runs `work`, sampling the process's resident memory every 20 ms. */
async function measure(work: () => Promise<number>) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const bytes = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      seconds: +((performance.now() - started) / 1000).toFixed(2),
      peakRssMB: Math.round(peak / 2 ** 20),
      growthMB: Math.round((peak - before) / 2 ** 20),
      megabytes: +(bytes / 2 ** 20).toFixed(1),
    };
  } finally {
    clearInterval(sampler);
  }
}

async function benchEngine(engine: Engine) {
  const scratch = await scratchDatabase(engine);
  try {
    const { db } = scratch.handle;
    const { agency, supervisor, officers } = await seedAgency(scratch.handle, 50);
    const seeded = performance.now();
    const { initiativeId } = await seedInitiativeRecords(
      db,
      agency.id,
      officers.map((o) => o.id),
      records,
    );
    const generatedSeconds = +((performance.now() - seeded) / 1000).toFixed(1);
    const ctx: RequestContext = {
      actor: { userId: supervisor.id, agencyId: agency.id, role: 'supervisor', sessionId: 'bench' },
      ip: null,
      userAgent: 'bench',
      requestId: 'bench',
    };
    const pdf = await measure(async () => {
      const counter = byteCounter();
      await pipeline(
        renderReportPdf(await buildInitiativeReport(db, ctx, initiativeId)),
        counter.sink,
      );
      return counter.bytes();
    });
    const bundle = await measure(async () => {
      const counter = byteCounter();
      const report = await buildInitiativeReport(db, ctx, initiativeId);
      await pipeline(await reportBundle(db, ctx, report), counter.sink);
      return counter.bytes();
    });
    return {
      engine,
      records,
      generatedSeconds,
      pdf,
      bundle,
      targets: { seconds: 15, peakRssMB: 512 },
    };
  } finally {
    await scratch.drop();
  }
}

const runs = await eachEngineApart(import.meta.filename, benchEngine);
for (const r of runs) {
  for (const [name, m] of [
    ['PDF', r.pdf],
    ['CSV bundle', r.bundle],
  ] as const) {
    process.stdout.write(
      `${r.engine.padEnd(8)} ${name.padEnd(10)} ${r.records.toLocaleString('en-US')} records: ${m.seconds} s, ` +
        `${m.megabytes} MB written, peak RSS ${m.peakRssMB} MB (+${m.growthMB} MB during the run) ` +
        '(targets: under 15 s, under 512 MB)\n',
    );
  }
}
process.stdout.write(`saved ${saveResults('reports', { runs })}\n`);
