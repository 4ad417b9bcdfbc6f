import { randomBytes, randomUUID } from 'node:crypto';
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
