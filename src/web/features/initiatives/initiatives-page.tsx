import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Page } from '#shared/contracts/common.ts';
import type { Initiative } from '#shared/contracts/initiatives.ts';
import type { Metric } from '#shared/contracts/metrics.ts';
import type { Place } from '#shared/contracts/places.ts';
import { localDateOf } from '#shared/time.ts';
import { paths } from '../../app/paths.ts';
import { api } from '../../lib/api.ts';
import { changedFields } from '../../lib/changed-fields.ts';
import { useMe } from '../../lib/session.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome } from '../../ui/alert.tsx';
import { Checkbox, describedBy, Field, Fieldset } from '../../ui/fields.tsx';
import { TableScroll } from '../../ui/table-scroll.tsx';

/** The agency's initiatives, newest first. */
export function InitiativesPage() {
  const initiatives = useGet<Page<Initiative>>('/api/initiatives?limit=50');
  return (
    <>
      <h1>Initiatives</h1>
      <Link className="usa-button" to={paths.initiative('new')}>
        Plan an initiative
      </Link>
      <TableScroll label={'Initiatives'}>
        <table className="usa-table usa-table--compact usa-table--striped width-full">
          <caption className="usa-sr-only">Initiatives</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Dates</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {(initiatives.data?.items ?? []).map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <Link to={paths.initiative(i.id)}>{i.name}</Link>
                </th>
                <td>
                  {i.startsOn} to {i.endsOn}
                </td>
                <td>{i.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** One initiative: its dates, goals and target places; closed and reopened here too. */
export function InitiativePage() {
  const { id = 'new' } = useParams();
  const initiative = useGet<Initiative>(id === 'new' ? null : `/api/initiatives/${id}`);
  if (id !== 'new' && !initiative.data) {
    return initiative.isError ? <p role="alert">No such initiative.</p> : <p>Loading…</p>;
  }
  return <InitiativeForm key={initiative.data?.id ?? 'new'} initiative={initiative.data} />;
}

function InitiativeForm({ initiative: read }: { initiative: Initiative | undefined }) {
  const me = useMe();
  // The initiative as this form last read or saved it: a save sends what differs from it, at its
  // version, so a change someone else made meanwhile is a conflict, never silently undone.
  const [initiative, setInitiative] = useState(read);
  const navigate = useNavigate();
  const action = useAction();
  const metrics = useGet<Metric[]>('/api/metrics');
  const places = useGet<Page<Place>>('/api/places?limit=200');
  const today = localDateOf(new Date(), me.agency.timeZone);
  const [form, setForm] = useState(() => ({
    name: initiative?.name ?? '',
    description: initiative?.description ?? '',
    startsOn: initiative?.startsOn ?? today,
    endsOn: initiative?.endsOn ?? today,
    goals: Object.fromEntries(
      Object.entries(initiative?.goals ?? {}).map(([k, v]) => [k, String(v)]),
    ) as Record<string, string>,
    targetPlaceIds: initiative?.targetPlaceIds ?? [],
  }));
  const closed = initiative?.status === 'closed';
  const update = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });

  async function save(event: FormEvent) {
    event.preventDefault();
    const goals = Object.fromEntries(
      Object.entries(form.goals)
        .filter(([, v]) => v.trim() !== '')
        .map(([k, v]) => [k, Number(v)]),
    );
    const body = { ...form, goals };
    if (!initiative) {
      const id = crypto.randomUUID();
      const created = await action.run(
        () => api('POST', '/api/initiatives', { id, ...body }),
        'Initiative planned.',
      );
      if (created) navigate(paths.initiative(id));
      return;
    }
    const changes = changedFields(
      {
        name: initiative.name,
        description: initiative.description,
        startsOn: initiative.startsOn,
        endsOn: initiative.endsOn,
        goals: initiative.goals,
        targetPlaceIds: initiative.targetPlaceIds,
      },
      body,
    );
    if (Object.keys(changes).length === 0) {
      await action.run(async () => undefined, 'Nothing to save: nothing was changed.');
      return;
    }
    await action.run(
      async () =>
        setInitiative(
          await api<Initiative>('PATCH', `/api/initiatives/${initiative.id}`, {
            version: initiative.version,
            ...changes,
          }),
        ),
      'Saved.',
    );
  }

  async function setStatus(change: 'close' | 'reopen') {
    if (!initiative) return;
    await action.run(
      async () =>
        setInitiative(
          await api<Initiative>('POST', `/api/initiatives/${initiative.id}/${change}`, {
            version: initiative.version,
          }),
        ),
      change === 'close' ? 'Closed: its records can no longer change.' : 'Reopened.',
    );
  }

  const error = (field: string) => action.errorFor(field);
  const text = (id: 'name' | 'startsOn' | 'endsOn', label: string, type = 'text') => (
    <Field id={id} label={label} error={error(id)}>
      <input
        className={`usa-input ${error(id) ? 'usa-input--error' : ''}`}
        id={id}
        type={type}
        required
        disabled={closed}
        value={form[id]}
        aria-describedby={describedBy(id, undefined, error(id))}
        onChange={(e) => update({ [id]: e.target.value })}
      />
    </Field>
  );

  return (
    <>
      <h1>{initiative ? initiative.name : 'Plan an initiative'}</h1>
      {initiative && (
        <p>
          Status: <strong>{initiative.status}</strong>.{' '}
          <Link to={paths.report(initiative.id)}>After-action report and news release</Link>
        </p>
      )}
      <ActionOutcome error={action.error} done={action.done} />
      <form className="usa-form usa-form--large" onSubmit={(event) => void save(event)}>
        {text('name', 'Name')}
        <Field id="description" label="Description">
          <textarea
            className="usa-textarea"
            id="description"
            disabled={closed}
            value={form.description}
            onChange={(e) => update({ description: e.target.value })}
          />
        </Field>
        {text('startsOn', 'First day (local date)', 'date')}
        {text('endsOn', 'Last day', 'date')}
        <Fieldset legend="Goals (leave empty for none)">
          {(metrics.data ?? []).map((m) => {
            const id = `goal-${m.key}`;
            const goalError = error(`goals.${m.key}`);
            return (
              <Field key={m.key} id={id} label={m.label} error={goalError}>
                <input
                  className="usa-input usa-input--small"
                  id={id}
                  type="number"
                  min={0}
                  disabled={closed}
                  value={form.goals[m.key] ?? ''}
                  aria-describedby={describedBy(id, undefined, goalError)}
                  onChange={(e) => update({ goals: { ...form.goals, [m.key]: e.target.value } })}
                />
              </Field>
            );
          })}
        </Fieldset>
        <Fieldset legend="Target places">
          {(places.data?.items ?? []).map((p) => (
            <Checkbox
              key={p.id}
              id={`target-${p.id}`}
              label={p.name}
              checked={form.targetPlaceIds.includes(p.id)}
              onChange={(checked) =>
                update({
                  targetPlaceIds: checked
                    ? [...form.targetPlaceIds, p.id]
                    : form.targetPlaceIds.filter((id) => id !== p.id),
                })
              }
            />
          ))}
        </Fieldset>
        {!closed && (
          <button className="usa-button" type="submit" disabled={action.busy}>
            {initiative ? 'Save' : 'Plan it'}
          </button>
        )}
      </form>
      {initiative && (
        <p className="margin-top-4">
          {closed ? (
            <button
              className="usa-button usa-button--outline"
              type="button"
              onClick={() => void setStatus('reopen')}
            >
              Reopen
            </button>
          ) : (
            <button
              className="usa-button usa-button--secondary"
              type="button"
              onClick={() => void setStatus('close')}
            >
              Close the initiative
            </button>
          )}
        </p>
      )}
    </>
  );
}
