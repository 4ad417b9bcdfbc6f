/**
 * `npm run fuzz`: the property-based fuzz of every route (test/fuzz/route-fuzz.ts), at least
 * 10,000 cases per route, on the embedded engine and, with FUZZ_DATABASE_URL (or
 * BENCH_DATABASE_URL) naming a PostgreSQL server whose user may create databases, on it too.
 * Each engine's routes are shared among FUZZ_PROCESSES worker processes (2 by default), each with
 * a database of its own. Prints per route the cases, the 5xx and the partial writes, and totals;
 * saves them as bench/results/fuzz.json; exits 1 on any 5xx, partial write or malformed refusal.
 *
 *   npm run fuzz                                   # 10,000 cases per route, embedded engine
 *   FUZZ_DATABASE_URL=postgres://u@host/postgres npm run fuzz   # and on a server
 *   FUZZ_CASES=500 FUZZ_ROUTES='tips' npm run fuzz # fewer cases, the routes whose key matches
 *   FUZZ_ENGINES=postgres FUZZ_DATABASE_URL=… npm run fuzz   # the server only
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { saveResults } from '../bench/results.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/client.ts';
import { loadConfig } from '../src/server/config.ts';
import {
  fuzzedRoutes,
  fuzzRoute,
  prepareWorld,
  type RouteReport,
  routeKey,
} from '../test/fuzz/route-fuzz.ts';

type Engine = 'pglite' | 'postgres';

const cases = Number(process.env.FUZZ_CASES ?? 10_000);
const processes = Number(process.env.FUZZ_PROCESSES ?? 2);
const serverUrl = process.env.FUZZ_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
const routeFilter = process.env.FUZZ_ROUTES ? new RegExp(process.env.FUZZ_ROUTES) : undefined;
/** FUZZ_ENGINES=postgres (or pglite): one engine only, as BENCH_ENGINES does for benchmarks. */
const engineFilter = process.env.FUZZ_ENGINES?.split(',');

async function openEngine(
  engine: Engine,
): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const handle = await openDatabase({ engine: 'pglite-memory' });
    await handle.migrate();
    return { handle, drop: async () => {} };
  }
  if (!serverUrl) throw new Error('FUZZ_DATABASE_URL is not set');
  const name = `milepost_fuzz_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 5 });
  await handle.migrate();
  return {
    handle,
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** A worker: fuzzes its share of the routes on a database of its own, prints one JSON line each. */
async function work(engine: Engine, shard: number, shards: number): Promise<void> {
  const { handle, drop } = await openEngine(engine);
  const world = await prepareWorld(handle, loadConfig({}));
  try {
    const routes = fuzzedRoutes(world.app)
      .filter((route) => !routeFilter || routeFilter.test(routeKey(route)))
      .filter((_, index) => index % shards === shard);
    for (const route of routes) {
      const seed = randomBytes(4).readUInt32BE() >>> 1;
      const report = await fuzzRoute(world, route, { cases, seed });
      process.stdout.write(`${JSON.stringify({ engine, seed, ...report })}\n`);
    }
  } finally {
    await world.close();
    await handle.close();
    await drop();
  }
}

type EngineReport = RouteReport & { engine: Engine; seed: number };

/** Every route's report so far, by engine: saved as the run goes, so a long run stopped early keeps its figures. */
const progress: Record<string, EngineReport[]> = {};
const runStarted = Date.now();
let lastSaved = 0;

function summarise(reports: EngineReport[]) {
  return {
    routes: reports.length,
    cases: reports.reduce((n, r) => n + r.cases, 0),
    serverErrors: reports.reduce((n, r) => n + r.serverErrors, 0),
    partialWrites: reports.reduce((n, r) => n + r.partialWrites, 0),
    malformedRefusals: reports.reduce((n, r) => n + r.malformedRefusals, 0),
    unavailable: reports.reduce((n, r) => n + r.unavailable, 0),
    fewestCasesOfARoute: reports.length > 0 ? Math.min(...reports.map((r) => r.cases)) : 0,
  };
}

function saveProgress(complete: boolean): string {
  lastSaved = Date.now();
  const engines = Object.fromEntries(
    Object.entries(progress).map(([engine, reports]) => [
      engine,
      {
        totals: summarise(reports),
        routes: [...reports]
          .sort((a, b) => a.route.localeCompare(b.route))
          .map(({ failures, engine: _, ...figures }) => ({
            ...figures,
            failures: failures.length,
          })),
      },
    ]),
  );
  return saveResults('fuzz', {
    complete,
    casesPerRoute: cases,
    processesPerEngine: processes,
    minutes: Math.round((Date.now() - runStarted) / 600) / 100,
    ...engines,
  });
}

function runWorker(engine: Engine, shard: number): Promise<EngineReport[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        '--worker',
        engine,
        String(shard),
        String(processes),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MILEPOST_LOG_LEVEL: 'warn' } },
    );
    const reports: EngineReport[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const report = JSON.parse(line) as EngineReport;
        reports.push(report);
        progress[engine] = [...(progress[engine] ?? []), report];
        if (Date.now() - lastSaved > 60_000) saveProgress(false);
        const flag =
          report.serverErrors + report.partialWrites + report.malformedRefusals > 0 ? '  ✗' : '';
        console.log(
          `${engine.padEnd(8)} ${report.route.padEnd(78)} ${String(report.cases).padStart(6)} cases ` +
            `${String(report.serverErrors).padStart(4)} × 5xx ${String(report.partialWrites).padStart(4)} partial ` +
            `${String(Math.round(report.milliseconds / 1000)).padStart(5)} s${flag}`,
        );
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(reports)
        : reject(new Error(`the ${engine} worker ${shard} exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const [mode, engine, shard, shards] = process.argv.slice(2);
  if (mode === '--worker') {
    await work(engine as Engine, Number(shard), Number(shards));
    return;
  }
  const engines = (serverUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const)).filter(
    (engine) => !engineFilter || engineFilter.includes(engine),
  );
  console.log(
    `fuzz: ${cases} cases per route on ${engines.join(' and ')}, ${processes} processes each`,
  );
  let failed = false;
  for (const current of engines) {
    const reports = (
      await Promise.all(Array.from({ length: processes }, (_, i) => runWorker(current, i)))
    ).flat();
    reports.sort((a, b) => a.route.localeCompare(b.route));
    const totals = summarise(reports);
    console.log(
      `${current}: ${totals.routes} routes, ${totals.cases} cases (at least ${totals.fewestCasesOfARoute} each), ` +
        `${totals.serverErrors} × 5xx, ${totals.partialWrites} partial writes, ` +
        `${totals.malformedRefusals} malformed refusals, ${totals.unavailable} × 503 (web app not built)`,
    );
    for (const report of reports.filter((r) => r.failures.length > 0)) {
      console.log(`\n${current} ${report.route} (seed ${report.seed}):`);
      console.log(JSON.stringify(report.failures, null, 1).slice(0, 4000));
    }
    failed ||= totals.serverErrors + totals.partialWrites + totals.malformedRefusals > 0;
  }
  const file = saveProgress(true);
  console.log(`\nsaved ${file}`);
  process.exitCode = failed ? 1 : 0;
}

await main();
