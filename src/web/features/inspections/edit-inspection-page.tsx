import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { actionsTaken, inspectionLevels, redFlags } from '#shared/catalogues/field.ts';
import type { Inspection } from '#shared/contracts/records.ts';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { useGet } from '../../lib/use-api.ts';
import { Checkbox, Disclosure, Fieldset, Radio } from '../../ui/fields.tsx';
import { queueChanges } from '../entries/changes.ts';

/** What an officer may change of an inspection after the fact. */
interface Changes {
  version: number;
  level: string;
  outreachGiven: boolean;
  redFlags: string[];
  action: string;
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
  const record = useGet<Inspection>(`/api/inspections/${id}`);
  if (record.isError) return <p role="alert">This inspection could not be loaded.</p>;
  if (!record.data) return <p>Loading…</p>;
  return <EditInspectionForm record={record.data} />;
}

function EditInspectionForm({ record }: { record: Inspection }) {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Changes>(`inspection-edit.${record.id}`, () =>
    fromRecord(record),
  );
  const update = (changes: Partial<Changes>) => setDraft({ ...draft, ...changes });

  async function save(event: FormEvent) {
    event.preventDefault();
    await queueChanges(
      'inspection',
      record.id,
      fromRecord(record),
      draft,
      `Changes to the inspection of ${new Date(record.occurredAt).toLocaleString()}`,
    );
    clearDraft();
    navigate(paths.today);
  }

  return (
    <>
      <h1>Change inspection</h1>
      <p>Logged {new Date(record.occurredAt).toLocaleString()}.</p>
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <label className="usa-label" htmlFor="level">
          Inspection level
        </label>
        <select
          className="usa-select"
          id="level"
          value={draft.level}
          onChange={(e) => update({ level: e.target.value })}
        >
          {inspectionLevels.map((level) => (
            <option key={level.code} value={level.code}>
              {level.label}
            </option>
          ))}
        </select>
        <Fieldset legend="Outreach given">
          <Radio
            id="outreach-yes"
            name="outreachGiven"
            label="Yes"
            checked={draft.outreachGiven}
            onChange={() => update({ outreachGiven: true })}
          />
          <Radio
            id="outreach-no"
            name="outreachGiven"
            label="No"
            checked={!draft.outreachGiven}
            onChange={() => update({ outreachGiven: false })}
          />
        </Fieldset>
        <Disclosure
          title={`Red flags${draft.redFlags.length ? ` (${draft.redFlags.length})` : ''}`}
          initiallyOpen={draft.redFlags.length > 0}
        >
          <Fieldset legend="Red flags seen" hideLegend>
            {redFlags.map((flag) => (
              <Checkbox
                key={flag.code}
                id={`flag-${flag.code}`}
                label={flag.label}
                checked={draft.redFlags.includes(flag.code)}
                onChange={(checked) =>
                  update({
                    redFlags: checked
                      ? [...draft.redFlags, flag.code]
                      : draft.redFlags.filter((c) => c !== flag.code),
                  })
                }
              />
            ))}
          </Fieldset>
        </Disclosure>
        <label className="usa-label" htmlFor="action">
          Action taken
        </label>
        <select
          className="usa-select"
          id="action"
          value={draft.action}
          onChange={(e) => update({ action: e.target.value })}
        >
          {actionsTaken.map((action) => (
            <option key={action.code} value={action.code}>
              {action.label}
            </option>
          ))}
        </select>
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
