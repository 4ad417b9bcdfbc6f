import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { OutreachVisit } from '#shared/contracts/records.ts';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { queueChanges } from '../entries/changes.ts';
import { NotesField, WithRecord } from '../entries/entry-fields.tsx';
import { type VisitDetails, VisitFields } from './visit-fields.tsx';

interface Changes extends VisitDetails {
  version: number;
  notes: string;
}

const fromRecord = (r: OutreachVisit): Changes => ({
  version: r.version,
  reached: { ...r.reached },
  postersPutUp: r.postersPutUp,
  managerEngaged: r.managerEngaged,
  followUpOn: r.followUpOn,
  notes: r.notes,
});

/** Changes to a truck-stop visit, sent through the outbox with the version they were made to. */
export function EditVisitPage() {
  const { id = '' } = useParams();
  return (
    <WithRecord<OutreachVisit> path={`/api/outreach-visits/${id}`} what="visit">
      {(record) => <EditVisitForm record={record} />}
    </WithRecord>
  );
}

function EditVisitForm({ record }: { record: OutreachVisit }) {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Changes>(`visit-edit.${record.id}`, () =>
    fromRecord(record),
  );
  const update = (changes: Partial<Changes>) => setDraft({ ...draft, ...changes });

  async function save(event: FormEvent) {
    event.preventDefault();
    await queueChanges(
      'outreach_visit',
      record.id,
      fromRecord(record),
      draft,
      `Changes to the visit of ${new Date(record.occurredAt).toLocaleString()}`,
    );
    clearDraft();
    navigate(paths.today);
  }

  return (
    <>
      <h1>Change visit</h1>
      <p>Logged {new Date(record.occurredAt).toLocaleString()}.</p>
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <VisitFields value={draft} onChange={update} />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save changes
        </button>
      </form>
    </>
  );
}
