import { useParams } from 'react-router';
import type { Metric } from '#shared/contracts/metrics.ts';
import type { Activity } from '#shared/contracts/records.ts';
import { useGet } from '../../lib/use-api.ts';
import { useChanges } from '../entries/changes.ts';
import { NotesField, Stepper, WithRecord } from '../entries/entry-fields.tsx';

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
  const metrics = useGet<Metric[]>('/api/metrics');
  const kinds = (metrics.data ?? []).filter((m) => m.source === 'activities');
  const { draft, update, save } = useChanges('activity', record, fromRecord(record), 'activity');
  return (
    <>
      <h1>Change activity</h1>
      <p>Logged {new Date(record.occurredAt).toLocaleString()}.</p>
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <label className="usa-label" htmlFor="kind">
          Kind of activity
        </label>
        <select
          className="usa-select"
          id="kind"
          value={draft.kind}
          onChange={(e) => update({ kind: e.target.value })}
        >
          {kinds.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
        </select>
        <Stepper
          id="count"
          label="How many"
          value={draft.count}
          onChange={(count) => update({ count: Math.max(1, count) })}
        />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save changes
        </button>
      </form>
    </>
  );
}
