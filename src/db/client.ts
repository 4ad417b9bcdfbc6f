import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { acquireDataDirLock } from './data-dir-lock.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;

/** What both drivers' raw query results have in common: rows, and how many were touched. */
export interface QueryResultHKT extends PgQueryResultHKT {
  type: QueryRows<this['row']>;
}

interface QueryRows<Row> {
  rows: Row[];
}

export type Database = PgDatabase<QueryResultHKT, Schema>;
/** A transaction handle: everything a repository may use, inside or outside a transaction. */
export type Executor = Database;

export const migrationsFolder = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'migrations',
);

export type DatabaseTarget =
  /** A PostgreSQL server, shared by any number of processes. */
  | { engine: 'postgres'; url: string; poolSize?: number }
  /** Embedded PGlite persisted in a folder that this process holds alone. */
  | { engine: 'pglite'; dataDir: string; command: string }
  /** Embedded PGlite in memory, optionally started from a dumped data folder (tests). */
  | { engine: 'pglite-memory'; loadDataDir?: Blob };

export interface DatabaseHandle {
  db: Database;
  engine: 'postgres' | 'pglite';
  /** Runs the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The embedded engine's instance, for dumping a template in tests. */
  pglite?: PGlite;
}

/** Identifies Milepost's migration lock among PostgreSQL advisory locks. */
const migrationLockKey = 7_415_202_601;

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.engine === 'postgres') return openPostgres(target.url, target.poolSize ?? 10);
  if (target.engine === 'pglite-memory') {
    const client = await PGlite.create(
      target.loadDataDir ? { loadDataDir: target.loadDataDir } : undefined,
    );
    return wrapPglite(client, () => {});
  }
  const lock = acquireDataDirLock(target.dataDir, target.command);
  try {
    const client = await PGlite.create(path.join(target.dataDir, 'pglite'));
    return wrapPglite(client, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

function wrapPglite(client: PGlite, release: () => void): DatabaseHandle {
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    engine: 'pglite',
    pglite: client,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops must not crash the process.
  pool.on('error', () => {});
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Database;
  return {
    db,
    engine: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
        try {
          await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [migrationLockKey]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
