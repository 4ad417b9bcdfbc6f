import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DatabaseHandle, migrationsFolder, openDatabase } from '#db/client.ts';
import { withDatabase } from './global-setup.ts';

/**
 * The migrations that give field records one id space (0018 to 0020) keep every stored record,
 * and untangle the ids that two records shared before: the first keeps it, the other gets a new
 * one, and its lines, stock entries, shortfalls and tip go with it wherever they can be told
 * apart. Run from an empty database migrated up to the migration before them.
 */

const registryMigration = '0018_field-record-ids';

let handle: DatabaseHandle;
let drop: () => Promise<void> = async () => {};
let tmp: string;

/** A copy of the migrations folder that ends before the registry's migrations. */
function migrationsBeforeRegistry(): string {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-migrations-'));
  fs.cpSync(migrationsFolder, tmp, { recursive: true });
  const journalFile = path.join(tmp, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8'));
  const cut = journal.entries.findIndex((e: { tag: string }) => e.tag === registryMigration);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return tmp;
}

async function migrateTo(folder: string) {
  if (handle.engine === 'pglite')
    await migratePglite(handle.db as never, { migrationsFolder: folder });
  else await migrateNodePg(handle.db as never, { migrationsFolder: folder });
}

const ids = {
  agencyA: randomUUID(),
  agencyB: randomUUID(),
  userA: randomUUID(),
  userB: randomUUID(),
  materialA: randomUUID(),
  materialA2: randomUUID(),
  materialB: randomUUID(),
  /** A's inspection, then B's visit. */
  x: randomUUID(),
  /** A's activity, then B's inspection (flagged: a tip of B's). */
  y: randomUUID(),
  /** A's activity, then A's visit. */
  z: randomUUID(),
  /** A's inspection, then A's visit: their lines cannot be told apart. */
  w: randomUUID(),
  /** A record nobody else had. */
  alone: randomUUID(),
};

beforeAll(async () => {
  const template = inject('template');
  if (template.engine === 'pglite') {
    handle = await openDatabase({ engine: 'pglite-memory' });
  } else {
    const name = `milepost_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: template.url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    handle = await openDatabase({
      engine: 'postgres',
      url: withDatabase(template.url, name),
      poolSize: 2,
    });
    drop = async () => {
      const dropper = new pg.Client({ connectionString: template.url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    };
  }
  await migrateTo(migrationsBeforeRegistry());
  const db = handle.db;
  await db.execute(sql`insert into agencies (id, slug, name, country, time_zone) values
    (${ids.agencyA}, 'agency-a', 'A', 'US', 'America/Chicago'),
    (${ids.agencyB}, 'agency-b', 'B', 'US', 'America/Chicago')`);
  await db.execute(sql`insert into users (id, agency_id, email, display_name, role, password_hash)
    values (${ids.userA}, ${ids.agencyA}, 'a@example.test', 'A', 'officer', 'x'),
      (${ids.userB}, ${ids.agencyB}, 'b@example.test', 'B', 'officer', 'x')`);
  await db.execute(sql`insert into materials (id, agency_id, kind, name, language, provider, request_hash)
    values (${ids.materialA}, ${ids.agencyA}, 'wallet_card', 'Card', 'en', 'TAT', 'x'),
      (${ids.materialA2}, ${ids.agencyA}, 'window_decal', 'Decal', 'en', 'TAT', 'x'),
      (${ids.materialB}, ${ids.agencyB}, 'wallet_card', 'Card', 'en', 'TAT', 'x')`);
  const record = (agency: string, user: string, minutes: number) =>
    sql`${agency}::uuid, ${user}::uuid, now(), current_date, ${user}::uuid, 'x',
      now() - make_interval(mins => ${minutes})`;
  const a = (minutes: number) => record(ids.agencyA, ids.userA, minutes);
  const b = (minutes: number) => record(ids.agencyB, ids.userB, minutes);
  const shared = sql`agency_id, officer_id, occurred_at, local_date, created_by, request_hash, created_at`;
  await db.execute(sql`insert into inspections (id, ${shared}, level, outreach_given, red_flags)
    values (${ids.x}, ${a(50)}, 'III', true, '{lot_drop_off}'),
      (${ids.y}, ${b(10)}, 'III', true, '{lot_drop_off}'),
      (${ids.w}, ${a(50)}, 'III', true, '{}'),
      (${ids.alone}, ${a(50)}, 'III', true, '{}')`);
  await db.execute(sql`insert into outreach_visits (id, ${shared})
    values (${ids.x}, ${b(10)}), (${ids.z}, ${a(10)}), (${ids.w}, ${a(10)})`);
  await db.execute(sql`insert into activities (id, ${shared}, kind)
    values (${ids.y}, ${a(50)}, 'presentations'), (${ids.z}, ${a(50)}, 'presentations')`);
  await db.execute(sql`insert into record_materials (record_id, material_id, quantity) values
    (${ids.x}, ${ids.materialA}, 2), (${ids.x}, ${ids.materialB}, 3),
    (${ids.y}, ${ids.materialB}, 1), (${ids.z}, ${ids.materialA}, 4),
    (${ids.w}, ${ids.materialA}, 1), (${ids.w}, ${ids.materialA2}, 5),
    (${ids.alone}, ${ids.materialA}, 6)`);
  await db.execute(sql`insert into stock_ledger (agency_id, material_id, holder_id, delta, type, record_id)
    values (${ids.agencyA}, ${ids.materialA}, ${ids.userA}, -2, 'handed_out', ${ids.x}),
      (${ids.agencyB}, ${ids.materialB}, ${ids.userB}, -3, 'handed_out', ${ids.x}),
      (${ids.agencyB}, ${ids.materialB}, ${ids.userB}, -1, 'handed_out', ${ids.y}),
      (${ids.agencyA}, ${ids.materialA}, ${ids.userA}, -4, 'handed_out', ${ids.z})`);
  await db.execute(sql`insert into stock_shortfalls (agency_id, material_id, officer_id, record_id, quantity)
    values (${ids.agencyB}, ${ids.materialB}, ${ids.userB}, ${ids.x}, 1)`);
  await handle.migrate();
}, 120_000);
afterAll(async () => {
  await handle?.close();
  await drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function rows<T extends Record<string, unknown>>(query: ReturnType<typeof sql>) {
  return (await handle.db.execute<T>(query)).rows;
}

/** The new id of a record that had to give its id up. */
async function newIdOf(table: string, agencyId: string, oldId: string): Promise<string> {
  const [entry] = await rows<{ entity_id: string }>(sql`select entity_id from audit_log
    where action like '%.id_changed' and agency_id = ${agencyId} and before->>'id' = ${oldId}
      and entity_type = ${table}`);
  expect(entry, `${table} ${oldId}`).toBeDefined();
  return entry?.entity_id ?? '';
}

describe('registering the stored field records', () => {
  it('registers every record, the first of two with one id keeping it', async () => {
    const registry = await rows<{ id: string; agency_id: string; kind: string }>(
      sql`select id, agency_id, kind from field_records order by id`,
    );
    expect(registry).toHaveLength(9);
    const holder = (id: string) => registry.find((r) => r.id === id);
    expect(holder(ids.x)).toMatchObject({ agency_id: ids.agencyA, kind: 'inspection' });
    expect(holder(ids.y)).toMatchObject({ agency_id: ids.agencyA, kind: 'activity' });
    expect(holder(ids.z)).toMatchObject({ agency_id: ids.agencyA, kind: 'activity' });
    expect(holder(ids.w)).toMatchObject({ agency_id: ids.agencyA, kind: 'inspection' });
    expect(holder(ids.alone)).toMatchObject({ agency_id: ids.agencyA, kind: 'inspection' });
    const counts = await rows<{ n: number }>(sql`select
      (select count(*) from inspections) + (select count(*) from outreach_visits)
        + (select count(*) from activities) as n`);
    expect(Number(counts[0]?.n)).toBe(9);
  });

  it('moves to the new id what is the record’s own: lines, stock entries, shortfalls, tip', async () => {
    const visitX = await newIdOf('outreach_visit', ids.agencyB, ids.x);
    const inspectionY = await newIdOf('inspection', ids.agencyB, ids.y);
    const visitZ = await newIdOf('outreach_visit', ids.agencyA, ids.z);
    const visitW = await newIdOf('outreach_visit', ids.agencyA, ids.w);
    const lines = await rows<{ record_id: string; material_id: string; quantity: number }>(
      sql`select record_id, material_id, quantity from record_materials order by quantity`,
    );
    const byText = (list: unknown[][]) => list.map((l) => JSON.stringify(l)).sort();
    expect(byText(lines.map((l) => [l.record_id, l.material_id, Number(l.quantity)]))).toEqual(
      byText([
        [ids.x, ids.materialA, 2],
        [visitX, ids.materialB, 3],
        [inspectionY, ids.materialB, 1],
        [visitZ, ids.materialA, 4],
        // An inspection's and a visit's lines of one agency cannot be told apart: the first
        // record keeps them.
        [ids.w, ids.materialA, 1],
        [ids.w, ids.materialA2, 5],
        [ids.alone, ids.materialA, 6],
      ]),
    );
    expect(lines.filter((l) => l.record_id === visitW)).toEqual([]);
    const ledger = await rows<{ agency_id: string; record_id: string; delta: number }>(
      sql`select agency_id, record_id, delta from stock_ledger order by delta`,
    );
    expect(ledger.map((l) => [l.agency_id, l.record_id, Number(l.delta)])).toEqual([
      [ids.agencyA, visitZ, -4],
      [ids.agencyB, visitX, -3],
      [ids.agencyA, ids.x, -2],
      [ids.agencyB, inspectionY, -1],
    ]);
    const shortfalls = await rows<{ record_id: string }>(
      sql`select record_id from stock_shortfalls`,
    );
    expect(shortfalls).toEqual([{ record_id: visitX }]);
    const tips = await rows<{ agency_id: string; inspection_id: string }>(
      sql`select agency_id, inspection_id from tips order by agency_id = ${ids.agencyA} desc`,
    );
    expect(tips).toEqual([
      { agency_id: ids.agencyA, inspection_id: ids.x },
      { agency_id: ids.agencyB, inspection_id: inspectionY },
    ]);
  });

  it('counts the tallies again from the records, each line once', async () => {
    const tallies = await rows<{
      agency_id: string;
      metric: string;
      detail: string;
      value: number;
    }>(
      sql`select agency_id, metric, detail, sum(value)::int as value from record_tallies
        where metric in ('inspections', 'outreach_visits', 'activity', 'material')
        group by 1, 2, 3 order by 1, 2, 3`,
    );
    const recounted = await rows<{
      agency_id: string;
      metric: string;
      detail: string;
      value: number;
    }>(
      sql`select agency_id, metric, detail, sum(value)::int as value from (
          select agency_id, 'inspections' as metric, source as detail, 1 as value from inspections
          union all select agency_id, 'outreach_visits', '', 1 from outreach_visits
          union all select agency_id, 'activity', kind, count from activities
          union all select f.agency_id, 'material', rm.material_id::text, rm.quantity
            from record_materials rm join field_records f on f.id = rm.record_id
        ) c group by 1, 2, 3 order by 1, 2, 3`,
    );
    expect(tallies.map((r) => ({ ...r, value: Number(r.value) }))).toEqual(
      recounted.map((r) => ({ ...r, value: Number(r.value) })),
    );
  });

  it('makes the registry the key of the records, their lines, stock entries and shortfalls', async () => {
    const keys = await rows<{ name: string }>(sql`select conname as name from pg_constraint
      where contype = 'f' and confrelid = 'field_records'::regclass and convalidated
      order by conname`);
    expect(keys.map((k) => k.name)).toEqual([
      'activities_field_record_fk',
      'inspections_field_record_fk',
      'outreach_visits_field_record_fk',
      'record_materials_record_id_field_records_id_fk',
      'stock_ledger_record_id_field_records_id_fk',
      'stock_shortfalls_record_id_field_records_id_fk',
    ]);
  });
});
