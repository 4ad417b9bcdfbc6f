import { sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { tablesOf } from '../row-counts.ts';

/**
 * Whether a request wrote anything, cheaply: the database's transaction counter (the xmax of a
 * snapshot, one past the last finished transaction) moves only when a transaction that wrote
 * finished, committed or not. When it moved, every table is counted, and the rows written since
 * (their xmin) are counted too, so that an UPDATE, which changes no count, is seen as well.
 * NOTE: on a PostgreSQL server the counter is the cluster's: other databases' work moves it too,
 * which costs a count, never a missed change.
 */

export type TableState = Record<string, { rows: number; written: number }>;

export async function transactionCounter(db: Database): Promise<bigint> {
  const result = await db.execute<{ x: string }>(
    sql`select pg_snapshot_xmax(pg_current_snapshot())::text as x`,
  );
  return BigInt(result.rows[0]?.x ?? '0');
}

/** Rows per table, and how many of them transactions from `since` on wrote (inserted or updated). */
export async function tableState(db: Database, since: bigint): Promise<TableState> {
  const names = await tablesOf(db);
  // xmin is the 32-bit transaction id; a test database never wraps it around.
  const from = Number(since % 2n ** 32n);
  const counts = sql.join(
    names.map(
      (name) =>
        sql`select ${name} as name, count(*)::int as rows,
          count(*) filter (where xmin::text::bigint >= ${from})::int as written
          from ${sql.identifier(name)}`,
    ),
    sql` union all `,
  );
  const result = await db.execute<{ name: string; rows: number; written: number }>(counts);
  return Object.fromEntries(
    result.rows.map((row) => [row.name, { rows: Number(row.rows), written: Number(row.written) }]),
  );
}

/** The audit actions written from `since` on. */
export async function auditActionsSince(db: Database, since: bigint): Promise<string[]> {
  const from = Number(since % 2n ** 32n);
  const result = await db.execute<{ action: string }>(
    sql`select action from audit_log where xmin::text::bigint >= ${from}`,
  );
  return result.rows.map((row) => row.action);
}

/**
 * What a refused request may still write, by design: the record of the refusal itself (a failed
 * sign-in, a refused reading of a tip, an account locked), a session's last-seen time, and the
 * counters of attempts (rate limits, failed sign-ins: a refused request is an attempt, and the
 * counters are what keep a burst of them out).
 */
export const refusalRecords = {
  auditActions: /(_failed|_refused|_locked|_slowed)$/,
  /** Tables whose rows a refusal may update (never add or remove). */
  touched: new Set(['sessions', 'users']),
  /** Tables of counters, whose rows any request may add or update. */
  counters: new Set(['rate_limits', 'sign_in_throttles']),
};

/**
 * The changes a refused request made that it should not have: tables whose count moved or whose
 * rows were written, beyond the refusal's own records. Empty when it changed nothing it should not.
 */
export function unexpectedChanges(
  before: TableState,
  after: TableState,
  auditActions: string[],
): string[] {
  const changes: string[] = [];
  const recordsRefusal =
    auditActions.length > 0 && auditActions.every((a) => refusalRecords.auditActions.test(a));
  for (const name of Object.keys({ ...before, ...after })) {
    const was = before[name]?.rows ?? 0;
    const now = after[name]?.rows ?? 0;
    const written = after[name]?.written ?? 0;
    if (refusalRecords.counters.has(name)) continue;
    if (name === 'audit_log') {
      if (!recordsRefusal && (now !== was || written > 0)) {
        changes.push(`audit_log: ${was} → ${now} (${auditActions.join(', ')})`);
      }
    } else if (refusalRecords.touched.has(name)) {
      if (now !== was) changes.push(`${name}: ${was} → ${now}`);
      else if (written > 0 && name !== 'sessions' && !recordsRefusal) {
        changes.push(`${name}: ${written} row(s) updated`);
      }
    } else if (now !== was || written > 0) {
      changes.push(`${name}: ${was} → ${now}${written > 0 ? `, ${written} written` : ''}`);
    }
  }
  return changes;
}
