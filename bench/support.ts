import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '#db/client.ts';
import { agencies, sessions, users } from '#db/schema.ts';
import { sessionIdOf } from '#server/features/auth/auth.service.ts';

export type Engine = 'pglite' | 'postgres';

/**
 * The engines a benchmark runs on: PGlite always, a server when BENCH_DATABASE_URL names one;
 * BENCH_ENGINES=postgres (or pglite) narrows it to one.
 */
export function benchEngines(): Engine[] {
  const available: Engine[] = process.env.BENCH_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  const asked = process.env.BENCH_ENGINES?.split(',');
  return asked ? available.filter((engine) => asked.includes(engine)) : available;
}

const childResult = process.env.BENCH_CHILD_RESULT;

/**
 * Runs `bench` on each engine, each in a process of its own, and gives their figures in order.
 * What one run leaves in the process (PGlite keeps its whole database in it, and a large heap
 * slows the collector for whatever comes next) must not count against the next: measured in
 * one process after PGlite, the write path on PostgreSQL ran at 0.5 to 0.6 of its rate alone.
 * `script` is the benchmark's file, started again with BENCH_ENGINES naming one engine and
 * `env` added; in that process this runs the bench, hands its figures back and exits.
 */
export async function eachEngineApart<T>(
  script: string,
  bench: (engine: Engine) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T[]> {
  if (childResult) {
    const [engine] = benchEngines();
    if (!engine) throw new Error(`BENCH_ENGINES=${process.env.BENCH_ENGINES} names no engine`);
    fs.writeFileSync(childResult, JSON.stringify(await bench(engine)));
    process.exit(0);
  }
  const runs: T[] = [];
  for (const engine of benchEngines()) {
    const result = path.join(os.tmpdir(), `milepost-bench-${process.pid}-${engine}.json`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env, BENCH_ENGINES: engine, BENCH_CHILD_RESULT: result },
      stdio: 'inherit',
    });
    const [code] = await once(child, 'exit');
    if (code !== 0) {
      throw new Error(`${path.basename(script)}: the ${engine} run stopped with code ${code}`);
    }
    runs.push(JSON.parse(fs.readFileSync(result, 'utf8')));
    fs.rmSync(result);
  }
  return runs;
}

export interface ScratchDatabase {
  handle: DatabaseHandle;
  engine: Engine;
  /** Connection string of the scratch database, on the server engine. */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database that the benchmark may fill and throw away. */
export async function scratchDatabase(engine: Engine, poolSize = 20): Promise<ScratchDatabase> {
  if (engine === 'pglite') {
    const handle = await openDatabase({ engine: 'pglite-memory' });
    await handle.migrate();
    return { handle, engine, drop: () => handle.close() };
  }
  const server = process.env.BENCH_DATABASE_URL;
  if (!server) throw new Error('BENCH_DATABASE_URL is not set');
  const name = `milepost_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `create database ${name}`);
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const handle = await openDatabase({ engine: 'postgres', url, poolSize });
  await handle.migrate();
  return {
    handle,
    engine,
    url,
    async drop() {
      await handle.close();
      await adminQuery(server, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** An agency with `officers` officers and a supervisor, each with a session cookie. */
export async function seedAgency(handle: DatabaseHandle, officers: number) {
  const [agency] = await handle.db
    .insert(agencies)
    .values({
      slug: 'bench',
      name: 'Bench Agency',
      country: 'US',
      region: 'MO',
      timeZone: 'America/Chicago',
    })
    .returning();
  if (!agency) throw new Error('no agency');
  const make = async (role: 'officer' | 'supervisor', index: number) => {
    const [user] = await handle.db
      .insert(users)
      .values({
        agencyId: agency.id,
        email: `${role}${index}@bench.milepost.test`,
        displayName: `${role} ${index}`,
        role,
        passwordHash: 'not-used',
      })
      .returning();
    if (!user) throw new Error('no user');
    const token = randomBytes(32).toString('base64url');
    await handle.db.insert(sessions).values({
      id: sessionIdOf(token),
      userId: user.id,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    return { id: user.id, role, cookie: `milepost_session=${token}` };
  };
  const supervisor = await make('supervisor', 0);
  const squad = [];
  for (let i = 0; i < officers; i++) squad.push(await make('officer', i));
  return { agency, supervisor, officers: squad };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const uuid = randomUUID;

/**
 * An initiative of `records` field records in one week (70% inspections, 20% outreach visits,
 * 10% activities, about a million material lines for a million records) across 40 places and
 * the given officers, written by SQL straight into the tables, each record's id in the registry
 * of record ids first (as every create does); the tallies' triggers keep up.
 */
export async function seedInitiativeRecords(
  db: DatabaseHandle['db'],
  agencyId: string,
  officers: string[],
  records: number,
) {
  const initiativeId = uuid();
  await db.execute(sql`insert into initiatives (id, agency_id, name, starts_on, ends_on, created_by, request_hash)
    values (${initiativeId}, ${agencyId}, 'Bench week', '2026-01-05', '2026-01-11', ${officers[0]}, 'bench')`);
  const officerIds = sql.raw(`array[${officers.map((id) => `'${id}'::uuid`).join(',')}]`);
  const squad = sql.raw(String(officers.length));
  await db.execute(sql`insert into places (id, agency_id, kind, name, normalized_name, lat, lon, request_hash)
    select gen_random_uuid(), ${agencyId}, 'truck_stop', 'Stop ' || g, 'stop' || g, 39 + g / 100.0, -94.5, 'bench'
    from generate_series(1, 40) g`);
  await db.execute(sql`insert into materials (id, agency_id, kind, name, language, provider, request_hash)
    values (gen_random_uuid(), ${agencyId}, 'wallet_card', 'Card', 'en', 'TAT', 'bench'),
           (gen_random_uuid(), ${agencyId}, 'wallet_card', 'Card', 'es', 'TAT', 'bench'),
           (gen_random_uuid(), ${agencyId}, 'window_decal', 'Decal', 'en', 'TAT', 'bench')`);
  const inspections = Math.round(records * 0.7);
  const visits = Math.round(records * 0.2);
  const activities = records - inspections - visits;
  const placeIds = sql`(select array_agg(id order by name) from places where agency_id = ${agencyId})`;
  await db.execute(sql`with numbered as (
      select gen_random_uuid() as id, g from generate_series(1, ${inspections}) g
    ),
    registered as (
      insert into field_records (id, agency_id, kind)
      select id, ${agencyId}, 'inspection' from numbered
    )
    insert into inspections (id, agency_id, initiative_id, officer_id, occurred_at, local_date, place_id,
      level, outreach_given, red_flags, action, created_by, request_hash)
    select n.id, ${agencyId}, ${initiativeId}, (${officerIds})[1 + g % ${squad}],
      timestamptz '2026-01-05 13:00:00+00' + make_interval(days => g % 7, mins => g % 600),
      date '2026-01-05' + g % 7,
      case when g % 3 = 0 then null else (${placeIds})[1 + g % 40] end,
      (array['I','II','III'])[1 + g % 3], g % 10 <> 0,
      case when g % 97 = 0 then array['lot_drop_off'] else '{}'::text[] end,
      case when g % 97 = 0 then 'hotline_called' else 'none' end,
      (${officerIds})[1], 'bench'
    from numbered n`);
  await db.execute(sql`with numbered as (
      select gen_random_uuid() as id, g from generate_series(1, ${visits}) g
    ),
    registered as (
      insert into field_records (id, agency_id, kind)
      select id, ${agencyId}, 'outreach_visit' from numbered
    )
    insert into outreach_visits (id, agency_id, initiative_id, officer_id, occurred_at, local_date, place_id,
      reached_drivers, reached_staff, reached_public, created_by, request_hash)
    select n.id, ${agencyId}, ${initiativeId}, (${officerIds})[1 + g % ${squad}],
      timestamptz '2026-01-05 20:00:00+00' + make_interval(days => g % 7), date '2026-01-05' + g % 7,
      (${placeIds})[1 + g % 40], g % 12, g % 3, g % 5, (${officerIds})[1], 'bench'
    from numbered n`);
  await db.execute(sql`with numbered as (
      select gen_random_uuid() as id, g from generate_series(1, ${activities}) g
    ),
    registered as (
      insert into field_records (id, agency_id, kind)
      select id, ${agencyId}, 'activity' from numbered
    )
    insert into activities (id, agency_id, initiative_id, officer_id, occurred_at, local_date, kind, count,
      created_by, request_hash)
    select n.id, ${agencyId}, ${initiativeId}, (${officerIds})[1 + g % ${squad}],
      timestamptz '2026-01-05 15:00:00+00' + make_interval(days => g % 7), date '2026-01-05' + g % 7,
      (array['presentations','media_contacts','social_posts'])[1 + g % 3], 1 + g % 2, (${officerIds})[1], 'bench'
    from numbered n`);
  await db.execute(sql`insert into record_materials (record_id, material_id, quantity)
    select r.id, m.id, 1 + (abs(hashtext(r.id::text)) % 3)
    from (select id from inspections union all select id from outreach_visits) r
    join materials m on m.kind = 'wallet_card' and m.language = case when abs(hashtext(r.id::text)) % 7 = 0 then 'es' else 'en' end`);
  await db.execute(sql`insert into record_materials (record_id, material_id, quantity)
    select r.id, m.id, 1 from (select id from inspections where abs(hashtext(id::text)) % 3 = 0) r
    join materials m on m.kind = 'window_decal'`);
  // As autovacuum leaves a table some time after a bulk of writes (a week of entries is many
  // times its insert threshold): statistics current, hint bits set, pages marked all-visible.
  // Without it, the first reader of each page pays for what autovacuum does in the background.
  await db.execute(sql`vacuum (analyze)`);
  return { initiativeId, inspections, visits, activities };
}
