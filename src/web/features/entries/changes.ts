import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { changedFields } from '../../lib/changed-fields.ts';
import { useDraft } from '../../lib/drafts.ts';
import { formatDateTime } from '../../lib/format.ts';
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
  const { version: _, ...changed } = changedFields(original, draft);
  if (Object.keys(changed).length === 0) return false;
  await enqueueEdit(kind, recordId, { version: draft.version, ...changed }, summary);
  return true;
}

/**
 * The form state of a change screen: a draft of the record's changeable fields (kept as it is
 * typed), and the save that queues what changed and returns to Today.
 */
export function useChanges<T extends { version: number }>(
  kind: EntryKind,
  record: { id: string; occurredAt: string },
  original: T,
  label: string,
) {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<T>(`${kind}-edit.${record.id}`, () => original);
  const update = (changes: Partial<T>) => setDraft({ ...draft, ...changes });
  async function save(event: FormEvent) {
    event.preventDefault();
    await queueChanges(
      kind,
      record.id,
      original,
      draft,
      `Changes to the ${label} of ${formatDateTime(record.occurredAt)}`,
    );
    clearDraft();
    navigate(paths.today);
  }
  return { draft, update, save };
}
