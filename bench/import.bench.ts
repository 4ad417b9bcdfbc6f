// Importing a state inspection file of 1,000,000 rows (FMCSA columns), against its baseline in
// the same run: PostgreSQL's COPY of the same file into a table of the same columns. Milepost
// also checks every row, joins report numbers and resolves initiatives. Target: at least 50% of
// COPY's rate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RequestContext } from '#server/context.ts';
import { importInspections } from '#server/features/imports/imports.service.ts';
import { saveResults } from './results.ts';
import { benchEngines, type Engine, scratchDatabase, seedAgency } from './support.ts';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);

function writeStateFile(file: string): number {
  const out = fs.openSync(file, 'w');
  fs.writeSync(
    out,
    'Report_Number,Report_State,DOT_Number,Insp_Date,Insp_Start_Time,Insp_level_ID,Unit_Type_Desc\n',
  );
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const time = `${String(i % 24).padStart(2, '0')}${String(i % 60).padStart(2, '0')}`;
    chunk += `MO${String(i).padStart(9, '0')},MO,${100000 + (i % 3_000_000)},202601${day},${time},${1 + (i % 3)},TRUCK TRACTOR\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
  return fs.statSync(file).size;
}

const stagingTable = sql`create table state_file (report_number text, report_state text, dot_number text,
  insp_date text, insp_start_time text, insp_level_id int, unit_type_desc text)`;

async function benchEngine(engine: Engine, file: string) {
  // COPY first, in a database of its own, so the two do not share caches or table bloat.
  const copyDb = await scratchDatabase(engine, 2);
  let copySeconds: number;
  try {
    await copyDb.handle.db.execute(stagingTable);
    const started = performance.now();
    if (engine === 'pglite') {
      const client = copyDb.handle.pglite;
      if (!client) throw new Error('no PGlite client');
      await client.query("copy state_file from '/dev/blob' with (format csv, header true)", [], {
        blob: new Blob([fs.readFileSync(file)]),
      });
    } else {
      const client = new pg.Client({ connectionString: copyDb.url });
      await client.connect();
      try {
        await pipeline(
          fs.createReadStream(file),
          client.query(copyFrom('copy state_file from stdin with (format csv, header true)')),
        );
      } finally {
        await client.end();
      }
    }
    copySeconds = (performance.now() - started) / 1000;
    const copied = await copyDb.handle.db.execute<{ n: number }>(
      sql`select count(*)::int as n from state_file`,
    );
    if (Number(copied.rows[0]?.n) !== rows)
      throw new Error(`COPY loaded ${copied.rows[0]?.n} rows of ${rows}`);
  } finally {
    await copyDb.drop();
  }

  const scratch = await scratchDatabase(engine, 2);
  try {
    const { agency, supervisor } = await seedAgency(scratch.handle, 1);
    const ctx: RequestContext = {
      actor: { userId: supervisor.id, agencyId: agency.id, role: 'supervisor', sessionId: 'bench' },
      ip: null,
      userAgent: 'bench',
      requestId: 'bench',
    };
    const started = performance.now();
    const memoryBefore = process.memoryUsage().rss;
    let peakRss = memoryBefore;
    const report = await importInspections(scratch.handle.db, ctx, fs.createReadStream(file), {
      skipInvalid: false,
      onProgress: () => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    const importSeconds = (performance.now() - started) / 1000;
    if (report.added !== rows) throw new Error(`imported ${report.added} rows of ${rows}`);
    return {
      engine,
      rows,
      import: {
        seconds: +importSeconds.toFixed(1),
        rowsPerSecond: Math.round(rows / importSeconds),
        peakRssMB: Math.round(peakRss / 2 ** 20),
      },
      copy: { seconds: +copySeconds.toFixed(1), rowsPerSecond: Math.round(rows / copySeconds) },
      ratio: +(copySeconds / importSeconds).toFixed(2),
      target: 'ratio >= 0.5',
    };
  } finally {
    await scratch.drop();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-bench-import-'));
const file = path.join(dir, 'state.csv');
try {
  const bytes = writeStateFile(file);
  process.stdout.write(
    `state file: ${rows.toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(0)} MB\n`,
  );
  const runs = [];
  for (const engine of benchEngines()) runs.push(await benchEngine(engine, file));
  for (const r of runs) {
    process.stdout.write(
      `${r.engine.padEnd(8)} import ${r.import.rowsPerSecond} rows/s (${r.import.seconds} s, peak RSS ${r.import.peakRssMB} MB)` +
        ` | COPY ${r.copy.rowsPerSecond} rows/s (${r.copy.seconds} s) | ratio ${r.ratio} (${r.target})\n`,
    );
  }
  process.stdout.write(`saved ${saveResults('import', { runs })}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
