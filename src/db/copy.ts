import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Database, Executor } from './client.ts';
import * as schema from './schema.ts';

/**
 * The driver's own connection under Drizzle: the pg pool or the client a transaction holds, or
 * PGlite (or its transaction). Drizzle does not expose it; both of its sessions keep it as
 * `client`, and COPY needs it. Read here only, so a Drizzle upgrade that moves it breaks one
 * place, loudly.
 */
function driverClientOf(db: Executor): pg.Pool | pg.PoolClient | Transaction | PGlite {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  if (!client || typeof (client as { query?: unknown }).query !== 'function') {
    throw new Error('COPY needs the driver connection; Drizzle hid it');
  }
  return client as pg.Pool | pg.PoolClient | Transaction | PGlite;
}

const isPgClient = (client: object): client is pg.PoolClient => 'release' in client;
const isPgPool = (client: object): client is pg.Pool => 'totalCount' in client;

/**
 * Runs `work` on one connection throughout, for work that keeps state in its session across
 * several transactions (a temporary staging table): on a server, a connection of the pool held
 * for the whole of it (and closed, not reused, if the work failed); on PGlite, whose single
 * connection every caller shares, `db` itself.
 */
export async function onOneConnection<T>(
  db: Database,
  work: (session: Database) => Promise<T>,
): Promise<T> {
  const client = driverClientOf(db);
  if (!isPgPool(client)) return work(db);
  const connection = await client.connect();
  let failed = false;
  try {
    return await work(drizzleNodePg({ client: connection, schema }) as unknown as Database);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    connection.release(failed);
  }
}

/**
 * Streams CSV text into `target` (`table (col, …)`) with COPY, on the one connection `db` holds
 * (a transaction, or `onOneConnection`'s session). On a server, the text flows while the next
 * chunk is being made, in one statement; on PGlite each chunk is one COPY from a blob, and other
 * requests get their turn between chunks. Chunks must hold whole lines.
 */
export async function copyCsv(
  db: Executor,
  target: string,
  chunks: AsyncIterable<string>,
): Promise<void> {
  const client = driverClientOf(db);
  const statement = `copy ${target} from stdin with (format csv)`;
  if (isPgPool(client)) throw new Error('COPY needs one connection: a transaction or a session');
  if (isPgClient(client)) {
    await pipeline(Readable.from(chunks), client.query(copyFrom(statement)));
    return;
  }
  for await (const chunk of chunks) {
    await client.query(statement.replace('stdin', "'/dev/blob'"), [], {
      blob: new Blob([chunk]),
    });
  }
}

const dialect = new PgDialect();

/**
 * What a query selects, as CSV written by the database (`COPY (…) TO STDOUT`, no header): on a
 * server through a connection of the pool, or of the transaction `db` holds; on PGlite as a
 * blob. COPY takes no parameters, so the query's values are written into its text as literals
 * (Drizzle quotes them).
 */
export async function copyOutCsv(db: Executor, query: SQL): Promise<Buffer> {
  const selected = dialect.sqlToQuery(query.inlineParams()).sql;
  const client = driverClientOf(db);
  if (isPgPool(client) || isPgClient(client)) {
    const connection = isPgPool(client) ? await client.connect() : client;
    try {
      const chunks: Buffer[] = [];
      const out = connection.query(copyTo(`copy (${selected}) to stdout with (format csv)`));
      for await (const chunk of out) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } finally {
      if (connection !== client) connection.release();
    }
  }
  const result = await client.query(`copy (${selected}) to '/dev/blob' with (format csv)`);
  return result.blob ? Buffer.from(await result.blob.arrayBuffer()) : Buffer.alloc(0);
}

/** One CSV field for COPY: empty and unquoted is NULL; anything else quoted when it must be. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (value === '' || /[",\n\r]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** A text[] literal for COPY, such as `{lot_drop_off,"a b"}`. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
