import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor } from './client.ts';

/**
 * The driver's own connection under a Drizzle transaction: the pg client it holds, or PGlite's
 * transaction. Drizzle does not expose it; both of its sessions keep it as `client`, and COPY
 * needs it. Read here only, so a Drizzle upgrade that moves it breaks one place, loudly.
 */
function driverClientOf(tx: Executor): pg.PoolClient | Transaction | PGlite {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (!client || typeof (client as { query?: unknown }).query !== 'function') {
    throw new Error('COPY needs the driver connection of a transaction; Drizzle hid it');
  }
  return client as pg.PoolClient | Transaction | PGlite;
}

const isPgClient = (client: object): client is pg.PoolClient => 'release' in client;

/**
 * Streams CSV text into `target` (`table (col, …)`) with COPY, inside the transaction `tx`.
 * On a server, the text flows while the next chunk is being made; on PGlite each chunk is one
 * COPY from a blob. Chunks must hold whole lines.
 */
export async function copyCsv(
  tx: Executor,
  target: string,
  chunks: AsyncIterable<string>,
): Promise<void> {
  const client = driverClientOf(tx);
  const statement = `copy ${target} from stdin with (format csv)`;
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
