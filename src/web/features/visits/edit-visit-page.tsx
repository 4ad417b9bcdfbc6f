import { useParams } from 'react-router';
import type { OutreachVisit } from '#shared/contracts/records.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useChanges } from '../entries/changes.ts';
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
  const { draft, update, save } = useChanges('outreach_visit', record, fromRecord(record), 'visit');
  return (
    <>
      <h1>Change visit</h1>
      <p>Logged {formatDateTime(record.occurredAt)}.</p>
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
