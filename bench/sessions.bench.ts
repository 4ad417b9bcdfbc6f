// What a signed-in request costs: GET /api/auth/me (session lookup, user and agency read) at 20
// concurrent clients over real HTTP, against its baseline GET /healthz (no database) in the same
// run; sign-ins per second, which argon2id bounds by design; and how long a failed sign-in of a
// known e-mail address takes beside one of an unknown address (they must answer alike, in the
// same time: decision 0019). PGlite always; PostgreSQL too when BENCH_DATABASE_URL names a
// server.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '#db/client.ts';
import { agencies, users } from '#db/schema.ts';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { hashPassword } from '#server/features/auth/passwords.ts';
import { loadDemo } from '#server/features/demo/demo.service.ts';
import { createSecrets } from '#server/secrets.ts';
import { saveResults } from './results.ts';
import { type Engine, eachEngineApart } from './support.ts';

const password = 'demo-password-milepost';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
/** Pairs of failed sign-ins (one known e-mail address, one unknown) timed one after another. */
const failedRounds = Number(process.env.BENCH_FAILED_SIGN_INS ?? 300);

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

/** Milliseconds: median, mean of the middle 80%, and 90th percentile. */
function describeTimes(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const middle = sorted.slice(Math.floor(sorted.length * 0.1), Math.ceil(sorted.length * 0.9));
  const round = (ms: number) => +ms.toFixed(2);
  return {
    samples: times.length,
    medianMs: round(at(0.5)),
    trimmedMeanMs: round(middle.reduce((sum, t) => sum + t, 0) / Math.max(1, middle.length)),
    p90Ms: round(at(0.9)),
  };
}

/**
 * Failed sign-ins, one at a time over HTTP, a known e-mail address (wrong password) and an
 * unknown one taking turns, each from an address of its own (X-Forwarded-For behind a trusted
 * proxy) and no address tried more than four times: what a person probing for accounts times,
 * short of the locks and pauses that would answer both alike anyway.
 */
async function timeFailedSignIns(base: string, knownEmails: string[], rounds: number) {
  const known: number[] = [];
  const unknown: number[] = [];
  const statuses = { known: new Set<number>(), unknown: new Set<number>() };
  let n = 0;
  const attempt = async (email: string) => {
    n += 1;
    const started = performance.now();
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      },
      body: JSON.stringify({ email, password: 'not-the-password-at-all' }),
    });
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status };
  };
  const differences: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const email = knownEmails[Math.floor(round / 4)] ?? '';
    const stranger = `nobody-${Math.floor(round / 4)}@example.test`;
    // Which goes first alternates, so that neither gains from what the other warmed.
    const order = round % 2 === 0 ? [email, stranger] : [stranger, email];
    const pair: Record<string, number> = {};
    for (const address of order) {
      const { ms, status } = await attempt(address);
      (address === email ? known : unknown).push(ms);
      statuses[address === email ? 'known' : 'unknown'].add(status);
      pair[address === email ? 'known' : 'unknown'] = ms;
    }
    differences.push((pair.known ?? 0) - (pair.unknown ?? 0));
  }
  // Paired: each known attempt against the unknown one beside it, so the machine's load, which
  // drifts over a run, weighs on both sides alike.
  const meanDifference = differences.reduce((sum, d) => sum + d, 0) / differences.length;
  const spread = Math.sqrt(
    differences.reduce((sum, d) => sum + (d - meanDifference) ** 2, 0) /
      Math.max(1, differences.length - 1),
  );
  const margin = (1.96 * spread) / Math.sqrt(differences.length);
  const ofKnown = describeTimes(known);
  const ofUnknown = describeTimes(unknown);
  return {
    known: { ...ofKnown, statuses: [...statuses.known] },
    unknown: { ...ofUnknown, statuses: [...statuses.unknown] },
    medianDifferenceMs: +(ofKnown.medianMs - ofUnknown.medianMs).toFixed(2),
    trimmedMeanDifferenceMs: +(ofKnown.trimmedMeanMs - ofUnknown.trimmedMeanMs).toFixed(2),
    pairedMedianDifferenceMs: describeTimes(differences).medianMs,
    pairedMeanDifferenceMs: +meanDifference.toFixed(2),
    /** The paired mean difference's 95% confidence interval: noise, when it holds zero. */
    pairedMean95Ms: [+(meanDifference - margin).toFixed(2), +(meanDifference + margin).toFixed(2)],
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
  const config = {
    ...loadConfig({ MILEPOST_SIGN_IN_RATE_LIMIT: '1000000' }),
    // Failed sign-ins come from many addresses, as X-Forwarded-For says.
    trustProxy: true,
  };
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
    // Accounts of their own for the failed sign-ins: each takes four, below every threshold.
    const [demo] = await database.db.select().from(agencies).where(eq(agencies.slug, 'demo'));
    const passwordHash = await hashPassword(password);
    const knownEmails = Array.from(
      { length: Math.ceil(failedRounds / 4) },
      (_, i) => `probed-${i}@demo.milepost.test`,
    );
    await database.db.insert(users).values(
      knownEmails.map((email) => ({
        agencyId: demo?.id ?? '',
        email,
        displayName: 'Probed Account',
        role: 'officer' as const,
        passwordHash,
      })),
    );
    const failedSignIns = await timeFailedSignIns(base, knownEmails, failedRounds);
    return {
      engine,
      baseline,
      me,
      meToBaseline: +(me.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
      signIns,
      failedSignIns,
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
      `${r.engine.padEnd(8)} POST /api/auth/login    ${r.signIns.requestsPerSecond} sign-ins/s p99 ${r.signIns.p99Ms} ms (argon2id, 4 clients)\n` +
      `${r.engine.padEnd(8)} failed sign-in, known e-mail   median ${r.failedSignIns.known.medianMs} ms, trimmed mean ${r.failedSignIns.known.trimmedMeanMs} ms, p90 ${r.failedSignIns.known.p90Ms} ms, statuses ${r.failedSignIns.known.statuses.join(',')}\n` +
      `${r.engine.padEnd(8)} failed sign-in, unknown e-mail median ${r.failedSignIns.unknown.medianMs} ms, trimmed mean ${r.failedSignIns.unknown.trimmedMeanMs} ms, p90 ${r.failedSignIns.unknown.p90Ms} ms, statuses ${r.failedSignIns.unknown.statuses.join(',')}\n` +
      `${r.engine.padEnd(8)} known minus unknown: median ${r.failedSignIns.medianDifferenceMs} ms, trimmed mean ${r.failedSignIns.trimmedMeanDifferenceMs} ms; paired median ${r.failedSignIns.pairedMedianDifferenceMs} ms, paired mean ${r.failedSignIns.pairedMeanDifferenceMs} ms (95%: ${r.failedSignIns.pairedMean95Ms.join(' to ')} ms, ${r.failedSignIns.known.samples} pairs)\n`,
  );
}
process.stdout.write(`saved ${saveResults('sessions', { seconds, runs })}\n`);
