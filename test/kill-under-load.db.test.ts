import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '#db/client.ts';
import { demoIds } from '#server/features/demo/demo-field-data.ts';
import { addressOf, milepost, type Running } from './processes.ts';
import { createTestDatabase, type TestDatabase, testEngine } from './test-database.ts';

/**
 * `kill -9` of the Milepost process in the middle of concurrent writes, as the field app sends
 * them: each officer's client writes records with ids of its own and sends each again until it
 * is acknowledged (the outbox's way). Milepost is killed several times and started again. At the
 * end every acknowledged record is there once, and the stock ledger is exact.
 */

const demoPassword = 'demo-password-milepost';
const officers = ['officer', 'officer2', 'officer3', 'officer4', 'officer5'].map(
  (name) => `${name}@demo.milepost.test`,
);
const recordsPerOfficer = 24;
const kills = 3;
const material = demoIds.materials.walletCardEn;
const marker = 'written under kill -9';

const started: Running[] = [];
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-kill-'));
});
afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function track(p: Running): Running {
  started.push(p);
  return p;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(base: string, method: string, url: string, cookie: string, body?: unknown) {
  return fetch(`${base}${url}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}

async function signIn(base: string, email: string) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: demoPassword }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const me = await (await send(base, 'GET', '/api/auth/me', cookie)).json();
  return { cookie, userId: me.user.id as string };
}

interface Acknowledged {
  id: string;
  quantity: number;
}

/**
 * Runs the whole scenario against `env` (a data folder or a server) and returns what was
 * acknowledged, after the last Milepost process has stopped.
 */
async function writeThroughKills(env: Record<string, string>) {
  const demo = track(milepost(['demo'], env));
  expect((await demo.exited).code, demo.output()).toBe(0);
  let server = track(milepost(['serve'], { ...env, PORT: '0' }));
  let base = await addressOf(server);

  // Plenty of stock for every officer, so that no record hands out beyond it.
  const supervisor = await signIn(base, 'supervisor@demo.milepost.test');
  const clients = await Promise.all(officers.map((email) => signIn(base, email)));
  const movement = (type: string, quantity: number, officerId: string | null) =>
    send(base, 'POST', '/api/stock/movements', supervisor.cookie, {
      id: randomUUID(),
      materialId: material,
      type,
      quantity,
      officerId,
      note: null,
    });
  expect((await movement('received', 100_000, null)).status).toBe(201);
  for (const client of clients)
    expect((await movement('issued', 10_000, client.userId)).status).toBe(201);

  const acknowledged: Acknowledged[] = [];
  const unexpected: string[] = [];
  let restarting = false;
  const total = officers.length * recordsPerOfficer;

  const writeAll = async (cookie: string) => {
    for (let i = 0; i < recordsPerOfficer; i++) {
      const record = { id: randomUUID(), quantity: 1 + (i % 3) };
      const body = {
        id: record.id,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        level: 'III',
        usdotNumber: '1234567',
        outreachGiven: true,
        notes: marker,
        materials: [{ materialId: material, quantity: record.quantity }],
      };
      // Sent again, unchanged, until acknowledged: a retry of a write that did land is a no-op.
      for (;;) {
        try {
          const response = await send(base, 'POST', '/api/inspections', cookie, body);
          if (response.status === 201 || response.status === 200) {
            acknowledged.push(record);
            break;
          }
          if (!restarting) unexpected.push(`${response.status} ${await response.text()}`);
        } catch {
          // Refused or cut off: the process is down or being started again.
        }
        await pause(100);
      }
    }
  };

  const killer = async () => {
    for (let k = 1; k <= kills; k++) {
      while (acknowledged.length < (total * k) / (kills + 1)) await pause(20);
      restarting = true;
      server.child.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      server = track(milepost(['serve'], { ...env, PORT: '0' }));
      base = await addressOf(server);
      restarting = false;
    }
  };

  await Promise.all([killer(), ...clients.map((client) => writeAll(client.cookie))]);
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
  expect(unexpected).toEqual([]);
  expect(acknowledged).toHaveLength(total);
  return acknowledged;
}

/** Every acknowledged record once, its lines, and a ledger that adds up. */
async function expectEverythingThere(db: Database, acknowledged: Acknowledged[]) {
  const ids = acknowledged.map((a) => a.id);
  const stored = await db.execute<{ id: string }>(
    sql`select id from inspections where notes = ${marker}`,
  );
  expect(stored.rows.map((r) => r.id).sort()).toEqual([...ids].sort());

  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const lines = await db.execute<{ id: string; quantity: number }>(
    sql`select record_id as id, sum(quantity)::int as quantity from record_materials
        where record_id in (${idList}) group by record_id`,
  );
  const handedOut = await db.execute<{ id: string; quantity: number }>(
    sql`select record_id as id, (-sum(delta))::int as quantity from stock_ledger
        where type = 'handed_out' and record_id in (${idList}) group by record_id`,
  );
  const expected = Object.fromEntries(acknowledged.map((a) => [a.id, a.quantity]));
  expect(Object.fromEntries(lines.rows.map((r) => [r.id, r.quantity]))).toEqual(expected);
  expect(Object.fromEntries(handedOut.rows.map((r) => [r.id, r.quantity]))).toEqual(expected);
  const shortfalls = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from stock_shortfalls where record_id in (${idList})`,
  );
  expect(shortfalls.rows[0]?.n).toBe(0);

  // Every balance equals its ledger's sum, across the whole database.
  const mismatched = await db.execute(
    sql`select b.material_id, b.holder_id, b.on_hand, coalesce(sum(l.delta), 0)::int as ledger
        from stock_balances b
        left join stock_ledger l on l.agency_id = b.agency_id and l.material_id = b.material_id
          and l.holder_id is not distinct from b.holder_id
        group by b.agency_id, b.material_id, b.holder_id, b.on_hand
        having b.on_hand <> coalesce(sum(l.delta), 0)`,
  );
  expect(mismatched.rows).toEqual([]);
  const holdings = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (
          select distinct agency_id, material_id, holder_id from stock_ledger
          except select agency_id, material_id, holder_id from stock_balances) missing`,
  );
  expect(holdings.rows[0]?.n).toBe(0);
}

describe('kill -9 under concurrent writes with retries', () => {
  it('loses no acknowledged write and doubles none, on the embedded engine', async () => {
    const dataDir = path.join(tmp, 'pglite');
    const acknowledged = await writeThroughKills({ MILEPOST_DATA_DIR: dataDir });
    const database = await openDatabase({ engine: 'pglite', dataDir, command: 'test' });
    try {
      await expectEverythingThere(database.db, acknowledged);
    } finally {
      await database.close();
    }
  }, 600_000);

  describe.runIf(testEngine() === 'postgres')('on a PostgreSQL server', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database?.close());

    it('loses no acknowledged write and doubles none (the server stays up, Milepost is killed)', async () => {
      const acknowledged = await writeThroughKills({ DATABASE_URL: database.url ?? '' });
      await expectEverythingThere(database.db, acknowledged);
    }, 600_000);
  });
});
