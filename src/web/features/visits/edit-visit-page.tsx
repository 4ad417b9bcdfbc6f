import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { OutreachVisit } from '#shared/contracts/records.ts';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { useGet } from '../../lib/use-api.ts';
import { Checkbox, Fieldset } from '../../ui/fields.tsx';
import { queueChanges } from '../entries/changes.ts';
import { Stepper } from '../entries/entry-fields.tsx';

interface Changes {
  version: number;
  reached: { drivers: number; staff: number; public: number };
  postersPutUp: number;
  managerEngaged: boolean;
  followUpOn: string | null;
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
  const record = useGet<OutreachVisit>(`/api/outreach-visits/${id}`);
  if (record.isError) return <p role="alert">This visit could not be loaded.</p>;
  if (!record.data) return <p>Loading…</p>;
  return <EditVisitForm record={record.data} />;
}

function EditVisitForm({ record }: { record: OutreachVisit }) {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Changes>(`visit-edit.${record.id}`, () =>
    fromRecord(record),
  );
  const update = (changes: Partial<Changes>) => setDraft({ ...draft, ...changes });
  const reach = (who: keyof Changes['reached'], count: number) =>
    update({ reached: { ...draft.reached, [who]: count } });

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
        <Fieldset legend="People reached">
          <Stepper
            id="reached-drivers"
            label="Drivers"
            value={draft.reached.drivers}
            onChange={(n) => reach('drivers', n)}
          />
          <Stepper
            id="reached-staff"
            label="Staff"
            value={draft.reached.staff}
            onChange={(n) => reach('staff', n)}
          />
          <Stepper
            id="reached-public"
            label="Members of the public"
            value={draft.reached.public}
            onChange={(n) => reach('public', n)}
          />
        </Fieldset>
        <Stepper
          id="posters-put-up"
          label="Posters put up"
          value={draft.postersPutUp}
          onChange={(postersPutUp) => update({ postersPutUp })}
        />
        <Fieldset legend="Management" hideLegend>
          <Checkbox
            id="manager-engaged"
            label="Spoke with the manager"
            checked={draft.managerEngaged}
            onChange={(managerEngaged) => update({ managerEngaged })}
          />
        </Fieldset>
        <label className="usa-label" htmlFor="followUpOn">
          Follow up on (optional)
        </label>
        <input
          className="usa-input"
          id="followUpOn"
          type="date"
          value={draft.followUpOn ?? ''}
          onChange={(e) => update({ followUpOn: e.target.value || null })}
        />
        <label className="usa-label" htmlFor="notes">
          Notes
        </label>
        <textarea
          className="usa-textarea"
          id="notes"
          value={draft.notes}
          maxLength={5000}
          onChange={(e) => update({ notes: e.target.value })}
        />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save changes
        </button>
      </form>
    </>
  );
}
