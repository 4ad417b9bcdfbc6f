import { type EntryKind, enqueueEdit } from '../../lib/outbox.ts';

/**
 * Queues what changed between a record as it was read and the officer's draft of it, with the
 * version it was read at; nothing when nothing changed. Returns whether anything was queued.
 */
export async function queueChanges<T extends { version: number }>(
  kind: EntryKind,
  recordId: string,
  original: T,
  draft: T,
  summary: string,
): Promise<boolean> {
  const changed = Object.fromEntries(
    (Object.keys(draft) as (keyof T & string)[])
      .filter((key) => key !== 'version')
      .filter((key) => JSON.stringify(draft[key]) !== JSON.stringify(original[key]))
      .map((key) => [key, draft[key]]),
  );
  if (Object.keys(changed).length === 0) return false;
  await enqueueEdit(kind, recordId, { version: draft.version, ...changed }, summary);
  return true;
}
