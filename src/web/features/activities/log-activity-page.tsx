import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { enqueue } from '../../lib/outbox.ts';
import { Alert } from '../../ui/alert.tsx';
import { instantOf, NotesField, nowLocal, WhenField } from '../entries/entry-fields.tsx';
import { ActivityFields, useActivityKinds } from './activity-fields.tsx';

interface Draft {
  occurredAt: string;
  kind: string;
  count: number;
  notes: string;
}

const fresh = (): Draft => ({ occurredAt: nowLocal(), kind: '', count: 1, notes: '' });

/** Other outreach: a presentation, a media contact, a post, a message board, an event. */
export function LogActivityPage() {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Draft>('activity', fresh);
  const [error, setError] = useState<string | null>(null);
  const kinds = useActivityKinds();
  const kind = draft.kind || kinds[0]?.key || '';
  const update = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });

  async function save(event: FormEvent) {
    event.preventDefault();
    const occurredAt = instantOf(draft.occurredAt);
    if (!occurredAt || !kind || draft.count < 1) {
      setError('Give the time, the kind of activity and how many.');
      return;
    }
    const label = kinds.find((k) => k.key === kind)?.label ?? kind;
    await enqueue(
      'activity',
      { id: crypto.randomUUID(), occurredAt, kind, count: draft.count, notes: draft.notes },
      `${label}: ${draft.count}`,
    );
    clearDraft();
    navigate(paths.today);
  }

  return (
    <>
      <h1>Log activity</h1>
      {error && (
        <Alert type="error" role="alert">
          {error}
        </Alert>
      )}
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <WhenField value={draft.occurredAt} onChange={(occurredAt) => update({ occurredAt })} />
        <ActivityFields kinds={kinds} kind={kind} count={draft.count} onChange={update} />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save activity
        </button>
      </form>
    </>
  );
}
