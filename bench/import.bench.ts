// Importing a state inspection file of 1,000,000 rows (FMCSA columns), against its baseline in
// the same run: PostgreSQL's COPY of the same rows into the table they are stored in
// (inspections, with its keys, indexes, foreign keys and tally triggers), given as that table's
// columns, after the COPY of their ids into the registry of record ids that the key references. Milepost also reads and checks every row, joins report numbers and resolves
// initiatives. Target: at least 50% of COPY's rate (decision 0011). Printed for reference: COPY
// of the file into a bare table of text columns, which stores text and nothing more.
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
import {
  type Engine,
  eachEngineApart,
  type ScratchDatabase,
  scratchDatabase,
  seedAgency,
  uuid,
} from './support.ts';

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

/**
 * The same rows as the state file, as the inspections table's columns (see the import), and
 * their ids as the registry of record ids' columns, which the inspections' key references.
 */
function writeInspectionRows(
  file: string,
  idsFile: string,
  agencyId: string,
  createdBy: string,
): void {
  const out = fs.openSync(file, 'w');
  const idsOut = fs.openSync(idsFile, 'w');
  let chunk = '';
  let idsChunk = '';
  for (let i = 1; i <= rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const time = `${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const id = uuid();
    // January in America/Chicago, the benchmark agency's zone: six hours behind UTC.
    chunk += `${id},${agencyId},2026-01-${day}T${time}:00-06:00,2026-01-${day},${createdBy},import:${i},${['I', 'II', 'III'][i % 3]},${100000 + (i % 3_000_000)},MO${String(i).padStart(9, '0')},MO,truck_tractor,false,state_import\n`;
    idsChunk += `${id},${agencyId},inspection\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      fs.writeSync(idsOut, idsChunk);
      chunk = '';
      idsChunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.writeSync(idsOut, idsChunk);
  fs.closeSync(out);
  fs.closeSync(idsOut);
}

const inspectionColumns = `inspections (id, agency_id, occurred_at, local_date, created_by, request_hash,
  level, usdot_number, report_number, report_state, vehicle_type, outreach_given, source)`;

/** Runs one COPY … FROM STDIN of a file on either engine, and says how long it took. */
async function timedCopy(
  scratch: ScratchDatabase,
  target: string,
  file: string,
  options: { header: boolean },
): Promise<number> {
  const format = `(format csv, header ${options.header})`;
  const started = performance.now();
  if (scratch.engine === 'pglite') {
    const client = scratch.handle.pglite;
    if (!client) throw new Error('no PGlite client');
    await client.query(`copy ${target} from '/dev/blob' with ${format}`, [], {
      blob: new Blob([fs.readFileSync(file)]),
    });
  } else {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await pipeline(
        fs.createReadStream(file),
        client.query(copyFrom(`copy ${target} from stdin with ${format}`)),
      );
    } finally {
      await client.end();
    }
  }
  return (performance.now() - started) / 1000;
}

async function countOf(scratch: ScratchDatabase, table: string): Promise<number> {
  const counted = await scratch.handle.db.execute<{ n: number }>(
    sql.raw(`select count(*)::int as n from ${table}`),
  );
  return Number(counted.rows[0]?.n);
}

const stagingTable = sql`create table state_file (report_number text, report_state text, dot_number text,
  insp_date text, insp_start_time text, insp_level_id int, unit_type_desc text)`;

async function benchEngine(engine: Engine, file: string, dir: string) {
  // Each measure in a database of its own, so that they share no caches or table bloat.
  const bare = await scratchDatabase(engine, 2);
  let bareSeconds: number;
  try {
    await bare.handle.db.execute(stagingTable);
    bareSeconds = await timedCopy(bare, 'state_file', file, { header: true });
    if ((await countOf(bare, 'state_file')) !== rows)
      throw new Error('COPY into a bare table fell short');
  } finally {
    await bare.drop();
  }

  const baseline = await scratchDatabase(engine, 2);
  let copySeconds: number;
  try {
    const { agency, supervisor } = await seedAgency(baseline.handle, 1);
    const converted = path.join(dir, 'inspections.csv');
    const ids = path.join(dir, 'record-ids.csv');
    writeInspectionRows(converted, ids, agency.id, supervisor.id);
    copySeconds =
      (await timedCopy(baseline, 'field_records (id, agency_id, kind)', ids, { header: false })) +
      (await timedCopy(baseline, inspectionColumns, converted, { header: false }));
    if ((await countOf(baseline, 'inspections')) !== rows)
      throw new Error('COPY into inspections fell short');
  } finally {
    await baseline.drop();
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
      copyIntoBareTable: {
        seconds: +bareSeconds.toFixed(1),
        rowsPerSecond: Math.round(rows / bareSeconds),
        ratio: +(bareSeconds / importSeconds).toFixed(3),
      },
    };
  } finally {
    await scratch.drop();
  }
}

// The state file is written once, by the first process; each engine's run reads it.
const shared = process.env.BENCH_IMPORT_DIR;
const dir = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-bench-import-'));
const file = path.join(dir, 'state.csv');
try {
  if (!shared) {
    const bytes = writeStateFile(file);
    process.stdout.write(
      `state file: ${rows.toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(0)} MB\n`,
    );
  }
  const runs = await eachEngineApart(
    import.meta.filename,
    (engine) => benchEngine(engine, file, dir),
    { BENCH_IMPORT_DIR: dir },
  );
  for (const r of runs) {
    process.stdout.write(
      `${r.engine.padEnd(8)} import ${r.import.rowsPerSecond} rows/s (${r.import.seconds} s, peak RSS ${r.import.peakRssMB} MB)` +
        ` | COPY into inspections ${r.copy.rowsPerSecond} rows/s (${r.copy.seconds} s) | ratio ${r.ratio} (${r.target})` +
        ` | for reference, COPY into a bare table ${r.copyIntoBareTable.rowsPerSecond} rows/s (ratio ${r.copyIntoBareTable.ratio})\n`,
    );
  }
  process.stdout.write(`saved ${saveResults('import', { runs })}\n`);
} finally {
  if (!shared) fs.rmSync(dir, { recursive: true, force: true });
}
