// The write path: inspections with two material lines, sent through HTTP by 50 concurrent
// clients (each an officer with their own session), against its baseline in the same run: the
// same rows (record id, inspection, material lines, ledger entries, balances) written straight through the
// driver by one process. Target: at least 50% of the baseline's rate on PostgreSQL. Also printed:
// the rate of the lightest signed-in request (GET /api/auth/me), the floor any write sits under.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import type { RequestContext } from '#server/context.ts';
import { createMaterial, createStockMovement } from '#server/features/stock/stock.service.ts';
import { createSecrets } from '#server/secrets.ts';
import { saveResults } from './results.ts';
import { type Engine, eachEngineApart, scratchDatabase, seedAgency, uuid } from './support.ts';

const clients = 50;
const requestsPerEngine = {
  pglite: Number(process.env.BENCH_WRITES_PGLITE ?? 3000),
  postgres: Number(process.env.BENCH_WRITES ?? 10000),
};

async function benchEngine(engine: Engine) {
  const scratch = await scratchDatabase(engine, clients);
  try {
    const { db } = scratch.handle;
    const { agency, supervisor, officers } = await seedAgency(scratch.handle, clients);
    const ctx: RequestContext = {
      actor: { userId: supervisor.id, agencyId: agency.id, role: 'supervisor', sessionId: 'bench' },
      ip: null,
      userAgent: 'bench',
      requestId: 'bench',
    };
    const materialIds = [uuid(), uuid()];
    for (const [index, id] of materialIds.entries()) {
      await createMaterial(db, ctx, {
        id,
        kind: index === 0 ? 'wallet_card' : 'window_decal',
        name: `M${index}`,
        language: 'en',
        provider: 'TAT',
        code: null,
      });
      await createStockMovement(db, ctx, {
        id: uuid(),
        materialId: id,
        type: 'received',
        quantity: 10_000_000,
        officerId: null,
        note: null,
      });
      for (const officer of officers) {
        await createStockMovement(db, ctx, {
          id: uuid(),
          materialId: id,
          type: 'issued',
          quantity: 100_000,
          officerId: officer.id,
          note: null,
        });
      }
    }
    const app = await buildApp({
      database: scratch.handle,
      config: loadConfig({}),
      secrets: createSecrets([randomBytes(32)]),
      logger: false,
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const amount = requestsPerEngine[engine];
    process.env.BENCH_COOKIES = officers.map((o) => o.cookie).join(',');
    process.env.BENCH_MATERIALS = materialIds.join(',');
    // The load comes from a worker thread, so it does not take the server's thread.
    const http = await autocannon({
      url: `${base}/api/inspections`,
      connections: clients,
      amount,
      workers: 1,
      timeout: 60,
      requests: [
        {
          method: 'POST',
          setupRequest: path.join(import.meta.dirname, 'write-path-request.cjs') as never,
        },
      ],
    });
    // What any signed-in request costs here (HTTP, session, one query): the floor under the
    // write path's rate, which the baseline, writing without HTTP, does not pay.
    const floor = await autocannon({
      url: `${base}/api/auth/me`,
      connections: clients,
      amount,
      workers: 1,
      headers: { cookie: officers[0]?.cookie ?? '' },
    });
    await app.close();
    if (floor.non2xx > 0)
      throw new Error(`${engine}: the signed-in floor got ${floor.non2xx} non-2xx`);
    const stored = await db.execute<{ n: number }>(sql`select count(*)::int as n from inspections`);
    if (http.non2xx > 0 || http.errors > 0 || Number(stored.rows[0]?.n) !== amount) {
      throw new Error(
        `${engine}: ${http.non2xx} non-2xx, ${http.errors} errors, ${stored.rows[0]?.n} stored of ${amount}`,
      );
    }
    const httpRate = amount / (http.duration || 1);

    // Baseline: the same rows, written straight through the driver.
    const baselineRows = Math.min(amount, engine === 'pglite' ? 3000 : 10000);
    const started = performance.now();
    const writeOne = async (
      run: (text: string, values: unknown[]) => Promise<unknown>,
      officerId: string,
    ) => {
      const id = uuid();
      await run(`insert into field_records (id, agency_id, kind) values ($1, $2, 'inspection')`, [
        id,
        agency.id,
      ]);
      await run(
        `insert into inspections (id, agency_id, officer_id, occurred_at, local_date, level, usdot_number, outreach_given, created_by, request_hash)
         values ($1, $2, $3, now(), current_date, 'III', '1234567', true, $3, 'bench')`,
        [id, agency.id, officerId],
      );
      for (const materialId of materialIds) {
        await run(
          'insert into record_materials (record_id, material_id, quantity) values ($1, $2, 1)',
          [id, materialId],
        );
        await run(
          `insert into stock_ledger (agency_id, material_id, holder_id, delta, type, record_id) values ($1, $2, $3, -1, 'handed_out', $4)`,
          [agency.id, materialId, officerId, id],
        );
        await run(
          'update stock_balances set on_hand = on_hand - 1 where material_id = $1 and holder_id = $2',
          [materialId, officerId],
        );
      }
    };
    if (engine === 'pglite') {
      const client = scratch.handle.pglite;
      if (!client) throw new Error('no PGlite client');
      for (let i = 0; i < baselineRows; i++) {
        const officer = officers[i % officers.length];
        await client.transaction((tx) =>
          writeOne((text, values) => tx.query(text, values as never[]), officer?.id ?? ''),
        );
      }
    } else {
      const pool = new pg.Pool({ connectionString: scratch.url, max: clients });
      // NOTE: pool.end() resolves before its connections have closed; when the scratch database
      // is dropped right after, the server ends the last of them, and an 'error' event without a
      // listener would crash the benchmark.
      pool.on('error', () => {});
      let done = 0;
      await Promise.all(
        officers.map(async (officer) => {
          const client = await pool.connect();
          try {
            while (done < baselineRows) {
              done += 1;
              await client.query('begin');
              await writeOne((text, values) => client.query(text, values), officer.id);
              await client.query('commit');
            }
          } finally {
            client.release();
          }
        }),
      );
      await pool.end();
    }
    const baselineRate = baselineRows / ((performance.now() - started) / 1000);
    return {
      engine,
      requests: amount,
      clients,
      http: { perSecond: Math.round(httpRate), p50Ms: http.latency.p50, p99Ms: http.latency.p99 },
      baseline: { rows: baselineRows, perSecond: Math.round(baselineRate) },
      signedInFloor: { perSecond: Math.round(amount / (floor.duration || 1)) },
      ratio: +(httpRate / baselineRate).toFixed(2),
      target: engine === 'postgres' ? 'ratio >= 0.5' : 'reported',
    };
  } finally {
    await scratch.drop();
  }
}

const runs = await eachEngineApart(import.meta.filename, benchEngine);
for (const r of runs) {
  process.stdout.write(
    `${r.engine.padEnd(8)} HTTP ${r.http.perSecond} inspections/s (p50 ${r.http.p50Ms} ms, p99 ${r.http.p99Ms} ms, ${r.clients} clients)` +
      ` | baseline ${r.baseline.perSecond}/s | ratio ${r.ratio} (${r.target})` +
      ` | signed-in GET floor ${r.signedInFloor.perSecond}/s\n`,
  );
}
process.stdout.write(`saved ${saveResults('write-path', { runs })}\n`);
