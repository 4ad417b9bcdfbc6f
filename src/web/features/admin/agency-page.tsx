import { type FormEvent, useState } from 'react';
import type { Agency } from '#shared/contracts/agencies.ts';
import { api } from '../../lib/api.ts';
import { useMe } from '../../lib/session.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { Alert } from '../../ui/alert.tsx';
import { describedBy, Field } from '../../ui/fields.tsx';

/** The agency's own settings: its name, state or province, time zone and ORI. */
export function AgencyPage() {
  const me = useMe();
  const agency = useGet<Agency>(`/api/agencies/${me.agency.id}`);
  if (!agency.data) return agency.isError ? <p role="alert">Not available.</p> : <p>Loading…</p>;
  return <AgencyForm key={agency.data.id} agency={agency.data} />;
}

function AgencyForm({ agency }: { agency: Agency }) {
  const action = useAction();
  const [form, setForm] = useState({
    name: agency.name,
    region: agency.region ?? '',
    timeZone: agency.timeZone,
    ori: agency.ori ?? '',
  });
  const zones = Intl.supportedValuesOf('timeZone').filter((z) => z.startsWith('America/'));

  async function submit(event: FormEvent) {
    event.preventDefault();
    await action.run(
      () =>
        api('PATCH', `/api/agencies/${agency.id}`, {
          name: form.name,
          region: form.region || null,
          timeZone: form.timeZone,
          ori: form.ori || null,
        }),
      'Saved. Days are now counted in the new time zone for new records.',
    );
  }

  const error = (field: string) => action.errorFor(field);
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
      {action.error && (
        <Alert type="error" role="alert">
          {action.error}
        </Alert>
      )}
      {action.done && (
        <Alert type="success" role="status">
          {action.done}
        </Alert>
      )}
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
        <button className="usa-button" type="submit" disabled={action.busy}>
          Save
        </button>
      </form>
    </>
  );
}
