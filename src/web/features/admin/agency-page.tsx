import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { Agency, Hotline } from '#shared/contracts/agencies.ts';
import { paths } from '../../app/paths.ts';
import { api } from '../../lib/api.ts';
import { changedFields } from '../../lib/changed-fields.ts';
import { useMe } from '../../lib/session.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome } from '../../ui/alert.tsx';
import { Checkbox, describedBy, Field, Fieldset } from '../../ui/fields.tsx';
import { PublicMaterial } from '../tips/public-material.tsx';

/** The agency's own settings: its name, state or province, time zone and ORI. */
export function AgencyPage() {
  const me = useMe();
  const agency = useGet<Agency>(`/api/agencies/${me.agency.id}`);
  if (!agency.data) return agency.isError ? <p role="alert">Not available.</p> : <p>Loading…</p>;
  return <AgencyForm key={agency.data.id} agency={agency.data} />;
}

/** The agency's settings as the form holds them (numbers as typed). */
const formOf = (agency: Agency) => ({
  name: agency.name,
  region: agency.region ?? '',
  timeZone: agency.timeZone,
  ori: agency.ori ?? '',
  hotlines: agency.hotlines,
  lowThreshold: String(agency.stockPolicy.lowThreshold),
  drawOnStore: agency.stockPolicy.drawOnStore,
  tipRetentionDays: String(agency.tipRetentionDays),
});

type SettingsForm = ReturnType<typeof formOf>;

/** The agency's settings as the API takes them, from the form. */
const settingsOf = (form: SettingsForm) => ({
  name: form.name,
  region: form.region || null,
  timeZone: form.timeZone,
  ori: form.ori || null,
  hotlines: form.hotlines,
  tipRetentionDays: Number(form.tipRetentionDays),
});

function AgencyForm({ agency }: { agency: Agency }) {
  const action = useAction();
  // The agency as this form last read or saved it: what a save compares the form with, so that
  // it sends only what was changed here (an agency has no version; what another administrator
  // changed meanwhile stays).
  const [saved, setSaved] = useState(agency);
  const [form, setForm] = useState(() => formOf(agency));
  const setHotline = (index: number, changes: Partial<Hotline>) =>
    setForm({
      ...form,
      hotlines: form.hotlines.map((h, i) => (i === index ? { ...h, ...changes } : h)),
    });
  const zones = Intl.supportedValuesOf('timeZone').filter((z) => z.startsWith('America/'));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const was = formOf(saved);
    const stockPolicy = changedFields(
      { lowThreshold: Number(was.lowThreshold), drawOnStore: was.drawOnStore },
      { lowThreshold: Number(form.lowThreshold), drawOnStore: form.drawOnStore },
    );
    const changes = {
      ...changedFields(settingsOf(was), settingsOf(form)),
      ...(Object.keys(stockPolicy).length > 0 ? { stockPolicy } : {}),
    };
    if (Object.keys(changes).length === 0) {
      await action.run(async () => undefined, 'Nothing to save: no setting was changed.');
      return;
    }
    await action.run(
      async () => setSaved(await api<Agency>('PATCH', `/api/agencies/${agency.id}`, changes)),
      'timeZone' in changes
        ? 'Saved. Days are now counted in the new time zone for new records.'
        : 'Saved.',
    );
  }

  const error = (field: string) => action.errorFor(field);
  const today = new Date().toISOString().slice(0, 10);
  const input = (id: 'name' | 'region' | 'ori', label: string, hint?: string) => (
    <Field id={id} label={label} hint={hint} error={error(id)}>
      <input
        className={`usa-input ${error(id) ? 'usa-input--error' : ''}`}
        id={id}
        value={form[id]}
        required={id === 'name'}
        aria-describedby={describedBy(id, hint, error(id))}
        onChange={(e) => setForm({ ...form, [id]: e.target.value })}
      />
    </Field>
  );
  return (
    <>
      <h1>Agency settings</h1>
      <ActionOutcome error={action.error} done={action.done} />
      <form className="usa-form usa-form--large" onSubmit={(event) => void submit(event)}>
        {input('name', 'Name')}
        {input('region', 'State or province', 'Two letters, such as MO or ON')}
        <Field id="timeZone" label="Time zone" error={error('timeZone')}>
          <select
            className="usa-select"
            id="timeZone"
            value={form.timeZone}
            onChange={(e) => setForm({ ...form, timeZone: e.target.value })}
          >
            {(zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </Field>
        {input('ori', 'ORI', 'The agency’s 9-character identifier, such as MOKPD0000')}
        <Fieldset legend="Numbers shown to the public">
          <p className="usa-hint">
            The agency’s own line and any state hotline, with the day someone last called to check
            it answers. 911 and the national hotline are shown anyway.
          </p>
          {form.hotlines.map((h, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved
            <div key={index} className="hotline-row">
              <Field
                id={`hotline-${index}-label`}
                label="Label"
                error={error(`hotlines.${index}.label`)}
              >
                <input
                  className="usa-input"
                  id={`hotline-${index}-label`}
                  value={h.label}
                  onChange={(e) => setHotline(index, { label: e.target.value })}
                />
              </Field>
              <Field
                id={`hotline-${index}-number`}
                label="Number"
                error={error(`hotlines.${index}.number`)}
              >
                <input
                  className="usa-input"
                  id={`hotline-${index}-number`}
                  type="tel"
                  value={h.number}
                  onChange={(e) => setHotline(index, { number: e.target.value })}
                />
              </Field>
              <Field
                id={`hotline-${index}-verified`}
                label="Checked on"
                error={error(`hotlines.${index}.verifiedOn`)}
              >
                <input
                  className="usa-input"
                  id={`hotline-${index}-verified`}
                  type="date"
                  value={h.verifiedOn}
                  onChange={(e) => setHotline(index, { verifiedOn: e.target.value })}
                />
              </Field>
              <button
                className="usa-button usa-button--unstyled"
                type="button"
                onClick={() =>
                  setForm({ ...form, hotlines: form.hotlines.filter((_, i) => i !== index) })
                }
              >
                Remove {h.label || 'this number'}
              </button>
            </div>
          ))}
          <button
            className="usa-button usa-button--outline margin-top-2"
            type="button"
            onClick={() =>
              setForm({
                ...form,
                hotlines: [...form.hotlines, { label: '', number: '', verifiedOn: today }],
              })
            }
          >
            Add a number
          </button>
        </Fieldset>
        <Fieldset legend="Stock policy">
          <Field
            id="lowThreshold"
            label="Tell an officer to restock below"
            error={error('stockPolicy.lowThreshold')}
          >
            <input
              className="usa-input usa-input--small"
              id="lowThreshold"
              type="number"
              min={0}
              value={form.lowThreshold}
              onChange={(e) => setForm({ ...form, lowThreshold: e.target.value })}
            />
          </Field>
          <Checkbox
            id="drawOnStore"
            label="When an officer runs short, hand out from the agency store"
            checked={form.drawOnStore}
            onChange={(drawOnStore) => setForm({ ...form, drawOnStore })}
          />
        </Fieldset>
        <Fieldset legend="Tips">
          <p className="usa-hint margin-top-1">
            The agency's supervisors and investigators read its tips, and nobody else. Who holds
            those roles is set on <Link to={paths.people}>People</Link>; every grant is recorded in
            the audit log with who gave it to whom.
          </p>
          <Field
            id="tipRetentionDays"
            label="Keep a closed tip for (days)"
            hint="Then it is deleted, with its notes and referrals; the audit log keeps that it was."
            error={error('tipRetentionDays')}
          >
            <input
              className="usa-input usa-input--small"
              id="tipRetentionDays"
              type="number"
              min={1}
              max={3650}
              value={form.tipRetentionDays}
              aria-describedby={describedBy('tipRetentionDays', 'hint', error('tipRetentionDays'))}
              onChange={(e) => setForm({ ...form, tipRetentionDays: e.target.value })}
            />
          </Field>
        </Fieldset>
        <button className="usa-button" type="submit" disabled={action.busy}>
          Save
        </button>
      </form>
      <PublicMaterial />
    </>
  );
}
