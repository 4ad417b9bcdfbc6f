import type { Database, Executor } from './client.ts';

/**
 * Runs `work` in one transaction: all of its writes land together or none do. Every write of
 * more than one row, and every change with its audit entry, goes through here.
 */
export function inTransaction<T>(db: Database, work: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(tx as unknown as Executor));
}
