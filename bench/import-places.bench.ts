// A supervisor imports a places CSV of 20,000 rows (about 850 KB, the size of the file that once
// held the embedded engine for 69.5 s) over HTTP while a colleague's app asks `GET /api/auth/me`
// again and again, as fast as it answers. Figures: /api/auth/me's latency during the import (p50,
// p99, max) beside its baseline measured in the same run, alone, before any import; the import's
// time with the colleague asking, and alone (another 20,000 places, nobody else asking); and the
// time of importing the same file again (every row matched, nothing added). The machine's load average
// is saved beside them: on a shared machine it says what the figures were measured against.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { createSecrets } from '#server/secrets.ts';
import { saveResults } from './results.ts';
import {
  type Engine,
  eachEngineApart,
  percentile,
  scratchDatabase,
  seedAgency,
} from './support.ts';

const rows = Number(process.env.BENCH_IMPORT_PLACES ?? 20_000);
const baselineRequests = 300;

/** Places spread over Missouri and Kansas on a fixed grid, as an agency's CSV would list them. */
function placesCsv(prefix: string): string {
  const kinds = ['truck_stop', 'rest_area', 'travel_plaza', 'weigh_station'];
  const lines = ['kind,name,lat,lon,highway'];
  for (let i = 1; i <= rows; i++) {
    const lat = (36.5 + ((i * 7919) % 40_000) / 10_000).toFixed(5);
    const lon = (-98 + ((i * 104_729) % 70_000) / 10_000).toFixed(5);
    lines.push(`${kinds[i % 4]},${prefix} ${i},${lat},${lon},I-${(i % 90) + 10}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Milliseconds of each answer to `GET /api/auth/me`, asked one after another while `until()`. */
async function askWhoAmI(base: string, cookie: string, until: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (until()) {
    const started = performance.now();
    const response = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`/api/auth/me answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const figures = (sorted: number[]) => ({
  requests: sorted.length,
  p50Ms: +percentile(sorted, 50).toFixed(1),
  p99Ms: +percentile(sorted, 99).toFixed(1),
  maxMs: +(sorted.at(-1) ?? 0).toFixed(1),
});

async function benchEngine(engine: Engine) {
  const loadBefore = os.loadavg()[0] ?? 0;
  const scratch = await scratchDatabase(engine, 10);
  const { agency, supervisor, officers } = await seedAgency(scratch.handle, 1);
  const colleague = officers[0];
  if (!colleague) throw new Error('no officer');
  const app = await buildApp({
    database: scratch.handle,
    config: loadConfig({}),
    secrets: createSecrets([randomBytes(32)]),
    logger: false,
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const upload = async (csv: string) => {
      const started = performance.now();
      const response = await fetch(`${base}/api/imports/places`, {
        method: 'POST',
        headers: { cookie: supervisor.cookie, 'content-type': 'text/csv' },
        body: csv,
      });
      const report = await response.json();
      if (response.status !== 200) throw new Error(`import: ${response.status} ${report.detail}`);
      return { report, seconds: (performance.now() - started) / 1000 };
    };

    let n = 0;
    const alone = await askWhoAmI(base, colleague.cookie, () => n++ < baselineRequests);

    const csv = placesCsv('Stop');
    let importing = true;
    const first = upload(csv).finally(() => {
      importing = false;
    });
    const during = await askWhoAmI(base, colleague.cookie, () => importing);
    const imported = await first;
    if (imported.report.added !== rows)
      throw new Error(`added ${imported.report.added} of ${rows}`);
    const again = await upload(csv);
    if (again.report.unchanged !== rows) throw new Error('the second import changed places');
    const unasked = await upload(placesCsv('Other Stop'));
    if (unasked.report.added !== rows) throw new Error('the third import matched places');
    const stored = await scratch.handle.db.execute<{ n: number }>(
      sql`select count(*)::int as n from places where agency_id = ${agency.id}`,
    );
    if (Number(stored.rows[0]?.n) !== 2 * rows) throw new Error('places are missing or doubled');

    return {
      engine,
      rows,
      fileKB: Math.round(Buffer.byteLength(csv) / 1024),
      import: {
        seconds: +imported.seconds.toFixed(2),
        rowsPerSecond: Math.round(rows / imported.seconds),
      },
      importAlone: {
        seconds: +unasked.seconds.toFixed(2),
        rowsPerSecond: Math.round(rows / unasked.seconds),
      },
      importAgain: { seconds: +again.seconds.toFixed(2) },
      authMe: { alone: figures(alone), duringImport: figures(during) },
      loadAverage: { before: +loadBefore.toFixed(1), after: +(os.loadavg()[0] ?? 0).toFixed(1) },
    };
  } finally {
    await app.close();
    await scratch.drop();
  }
}

const runs = await eachEngineApart(import.meta.filename, benchEngine);
for (const r of runs) {
  const { alone, duringImport: during } = r.authMe;
  process.stdout.write(
    `${r.engine.padEnd(8)} import of ${r.rows.toLocaleString('en-US')} places (${r.fileKB} KB): ${r.import.seconds} s with the colleague asking, ${r.importAlone.seconds} s alone, again ${r.importAgain.seconds} s` +
      ` | /api/auth/me during it: p50 ${during.p50Ms} ms, p99 ${during.p99Ms} ms, max ${during.maxMs} ms (${during.requests} requests)` +
      ` | alone: p50 ${alone.p50Ms} ms, p99 ${alone.p99Ms} ms, max ${alone.maxMs} ms` +
      ` | load average ${r.loadAverage.before} to ${r.loadAverage.after} on ${os.cpus().length} cores\n`,
  );
}
process.stdout.write(`saved ${saveResults('import-places', { runs })}\n`);
