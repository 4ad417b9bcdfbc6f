import { useParams } from 'react-router';
import type { Inspection } from '#shared/contracts/records.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useChanges } from '../entries/changes.ts';
import { NotesField, WithRecord } from '../entries/entry-fields.tsx';
import {
  type InspectionDetails,
  LevelAndOutreachFields,
  RedFlagsAndActionFields,
} from './inspection-fields.tsx';

/** What an officer may change of an inspection after the fact. */
interface Changes extends InspectionDetails {
  version: number;
  notes: string;
}

const fromRecord = (r: Inspection): Changes => ({
  version: r.version,
  level: r.level,
  outreachGiven: r.outreachGiven,
  redFlags: [...r.redFlags],
  action: r.action,
  notes: r.notes,
});

/** Changes to one of the officer's inspections, sent through the outbox with its version. */
export function EditInspectionPage() {
  const { id = '' } = useParams();
  return (
    <WithRecord<Inspection> path={`/api/inspections/${id}`} what="inspection">
      {(record) => <EditInspectionForm record={record} />}
    </WithRecord>
  );
}

function EditInspectionForm({ record }: { record: Inspection }) {
  const { draft, update, save } = useChanges(
    'inspection',
    record,
    fromRecord(record),
    'inspection',
  );
  return (
    <>
      <h1>Change inspection</h1>
      <p>Logged {formatDateTime(record.occurredAt)}.</p>
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <LevelAndOutreachFields value={draft} onChange={update} />
        <RedFlagsAndActionFields value={draft} onChange={update} />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save changes
        </button>
      </form>
    </>
  );
}
