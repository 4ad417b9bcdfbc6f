import { useParams } from 'react-router';
import type { Activity } from '#shared/contracts/records.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useChanges } from '../entries/changes.ts';
import { NotesField, WithRecord } from '../entries/entry-fields.tsx';
import { ActivityFields, useActivityKinds } from './activity-fields.tsx';

interface Changes {
  version: number;
  kind: string;
  count: number;
  notes: string;
}

const fromRecord = (r: Activity): Changes => ({
  version: r.version,
  kind: r.kind,
  count: r.count,
  notes: r.notes,
});

/** Changes to an activity, sent through the outbox with the version they were made to. */
export function EditActivityPage() {
  const { id = '' } = useParams();
  return (
    <WithRecord<Activity> path={`/api/activities/${id}`} what="activity">
      {(record) => <EditActivityForm record={record} />}
    </WithRecord>
  );
}

function EditActivityForm({ record }: { record: Activity }) {
  const kinds = useActivityKinds();
  const { draft, update, save } = useChanges('activity', record, fromRecord(record), 'activity');
  return (
    <>
      <h1>Change activity</h1>
      <p>Logged {formatDateTime(record.occurredAt)}.</p>
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <ActivityFields kinds={kinds} kind={draft.kind} count={draft.count} onChange={update} />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save changes
        </button>
      </form>
    </>
  );
}
