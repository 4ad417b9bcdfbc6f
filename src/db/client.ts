import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { explainStartFailure, prepareDataDir, restrictToOwner } from './data-dir.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import {
  EmbeddedEngine,
  type EmbeddedEngineOptions,
  type StorageProblem,
} from './embedded-engine.ts';
import { classifyStorageError, describeStorageFailure, type StorageFailure } from './errors.ts';
import * as schema from './schema.ts';

export type { StorageProblem } from './embedded-engine.ts';

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
  | ({ engine: 'pglite'; dataDir: string; command: string } & EmbeddedEngineOptions)
  /** Embedded PGlite in memory, optionally started from a dumped data folder (tests). */
  | { engine: 'pglite-memory'; loadDataDir?: Blob };

export interface DatabaseHandle {
  db: Database;
  engine: 'postgres' | 'pglite';
  /** Runs the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * What keeps the database from writing now (a full or read-only disk, a stopped engine, a
   * server out of resources), or null: what /readyz reports.
   */
  readStorageProblem(): StorageProblem | null;
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
  return openEmbedded(target);
}

/** Embedded PGlite in a data folder: private to its owner, held by this process alone. */
async function openEmbedded(
  target: Extract<DatabaseTarget, { engine: 'pglite' }>,
): Promise<DatabaseHandle> {
  const { dataDir } = target;
  prepareDataDir(dataDir);
  const lock = await acquireDataDirLock(dataDir, target.command);
  const engineDir = path.join(dataDir, 'pglite');
  let engine: EmbeddedEngine;
  try {
    engine = await EmbeddedEngine.open(dataDir, engineDir, target);
    // PGlite writes a new database's files with mode 0666; an older data folder may be open too.
    restrictToOwner(engineDir);
  } catch (error) {
    lock.release();
    throw explainStartFailure(dataDir) ?? error;
  }
  const db = drizzlePglite({
    client: engine.client as unknown as PGlite,
    schema,
  }) as unknown as Database;
  return {
    db,
    engine: 'pglite',
    get pglite() {
      return engine.pglite;
    },
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    readStorageProblem: () => engine.readStorageProblem(),
    async close() {
      try {
        await engine.close();
      } finally {
        lock.release();
      }
    },
  };
}

function wrapPglite(client: PGlite, release: () => void): DatabaseHandle {
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    engine: 'pglite',
    pglite: client,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    readStorageProblem: () => null,
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * How long a storage failure reported by a PostgreSQL server keeps /readyz saying so: the
 * server's disk cannot be looked at from here, so a failure is news until none follows.
 */
const serverFailureMemoryMs = 30_000;

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops must not crash the process.
  pool.on('error', () => {});
  let lastFailure: { failure: StorageFailure; since: Date; at: number } | null = null;
  pool.on('connect', (client) =>
    observeQueries(client, (error) => {
      const failure = classifyStorageError(error);
      if (!failure) return;
      const recent = lastFailure && Date.now() - lastFailure.at < serverFailureMemoryMs;
      lastFailure = {
        failure,
        since: recent && lastFailure ? lastFailure.since : new Date(),
        at: Date.now(),
      };
    }),
  );
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
    readStorageProblem() {
      if (!lastFailure || Date.now() - lastFailure.at >= serverFailureMemoryMs) return null;
      return {
        kind: lastFailure.failure.kind,
        detail: describeStorageFailure(lastFailure.failure.kind),
        since: lastFailure.since,
        engineStopped: false,
      };
    },
    close: () => pool.end(),
  };
}

/**
 * Lets `note` see every error a pooled connection's queries end in (both of the driver's
 * styles: promise and callback), without changing what the caller gets.
 */
function observeQueries(client: pg.PoolClient, note: (error: unknown) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
        if (error) note(error);
        return callback(error, ...rest);
      };
    }
    const result = query(...args);
    if (result instanceof Promise) result.then(undefined, note);
    return result;
  };
}
