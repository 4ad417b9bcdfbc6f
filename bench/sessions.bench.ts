// What a signed-in request costs: GET /api/auth/me (session lookup, user and agency read) at 20
// concurrent clients over real HTTP, against its baseline GET /healthz (no database) in the same
// run; and sign-ins per second, which argon2id bounds by design. PGlite always; PostgreSQL too
// when BENCH_DATABASE_URL names a server.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '#db/client.ts';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { loadDemo } from '#server/features/demo/demo.service.ts';
import { createSecrets } from '#server/secrets.ts';
import { saveResults } from './results.ts';
import { type Engine, eachEngineApart } from './support.ts';

const password = 'demo-password-milepost';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

async function measure(
  url: string,
  connections: number,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
  body?: string,
) {
  const result = await autocannon({ url, connections, duration: seconds, headers, method, body });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

async function benchEngine(engine: Engine, url?: string) {
  let scratch: string | undefined;
  if (engine === 'postgres' && url) {
    scratch = `milepost_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${scratch}`);
    await admin.end();
  }
  const target =
    scratch && url
      ? Object.assign(new URL(url), { pathname: `/${scratch}` }).toString()
      : undefined;
  const database = await openDatabase(
    target ? { engine: 'postgres', url: target } : { engine: 'pglite-memory' },
  );
  await database.migrate();
  await loadDemo(database.db, password);
  const config = { ...loadConfig({ MILEPOST_SIGN_IN_RATE_LIMIT: '1000000' }) };
  const app = await buildApp({
    database,
    config,
    secrets: createSecrets([randomBytes(32)]),
    logger: false,
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'officer@demo.milepost.test', password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const baseline = await measure(`${base}/healthz`, 20);
    const me = await measure(`${base}/api/auth/me`, 20, { cookie });
    const signIns = await measure(
      `${base}/api/auth/login`,
      4,
      { 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ email: 'analyst@demo.milepost.test', password }),
    );
    return {
      engine,
      baseline,
      me,
      meToBaseline: +(me.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
      signIns,
    };
  } finally {
    await app.close();
    await database.close();
    if (scratch && url) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop database if exists ${scratch} with (force)`);
      await admin.end();
    }
  }
}

const runs = await eachEngineApart(import.meta.filename, (engine) =>
  benchEngine(engine, process.env.BENCH_DATABASE_URL),
);

for (const r of runs) {
  process.stdout.write(
    `${r.engine.padEnd(8)} GET /healthz (baseline) ${r.baseline.requestsPerSecond} req/s p99 ${r.baseline.p99Ms} ms\n` +
      `${r.engine.padEnd(8)} GET /api/auth/me        ${r.me.requestsPerSecond} req/s p50 ${r.me.p50Ms} ms p99 ${r.me.p99Ms} ms (${r.meToBaseline} of baseline)\n` +
      `${r.engine.padEnd(8)} POST /api/auth/login    ${r.signIns.requestsPerSecond} sign-ins/s p99 ${r.signIns.p99Ms} ms (argon2id, 4 clients)\n`,
  );
}
process.stdout.write(`saved ${saveResults('sessions', { seconds, runs })}\n`);
