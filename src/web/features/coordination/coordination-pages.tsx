import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import type {
  CoordinatorInitiative,
  CoordinatorResults,
  Submission,
} from '#shared/contracts/coordination.ts';
import { submissionMetrics } from '#shared/contracts/coordination.ts';
import { roleHasPermission } from '#shared/roles.ts';
import { paths } from '../../app/paths.ts';
import { api } from '../../lib/api.ts';
import { changedFields } from '../../lib/changed-fields.ts';
import { formatNumber } from '../../lib/format.ts';
import { useMe } from '../../lib/session.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome, Alert } from '../../ui/alert.tsx';
import { describedBy, Field, Fieldset } from '../../ui/fields.tsx';
import { TableScroll } from '../../ui/table-scroll.tsx';

const countries = [
  { code: 'US', label: 'United States' },
  { code: 'CA', label: 'Canada' },
  { code: 'MX', label: 'Mexico' },
] as const;

/** Initiatives coordinating bodies publish; a coordinator publishes one here. */
export function CoordinationPage() {
  const me = useMe();
  const initiatives = useGet<CoordinatorInitiative[]>('/api/coordinator-initiatives');
  const publishes = roleHasPermission(me.user.role, 'coordination:manage');
  return (
    <>
      <h1>Coordinator initiatives</h1>
      <p>
        Initiatives that a coordinating body runs across agencies. An agency joins, checks the
        counts Milepost fills in from its records, and submits them.
      </p>
      {initiatives.data?.length === 0 && <p>No coordinating body has published one yet.</p>}
      <ul className="usa-list">
        {(initiatives.data ?? []).map((i) => (
          <li key={i.id}>
            <Link to={paths.coordinatorInitiative(i.id)}>{i.name}</Link>, {i.coordinator}
            {i.joined ? ' (your agency takes part)' : ''}
          </li>
        ))}
      </ul>
      {publishes && <PublishForm />}
    </>
  );
}

function PublishForm() {
  const action = useAction();
  const [form, setForm] = useState({
    name: '',
    description: '',
    windows: Object.fromEntries(countries.map((c) => [c.code, { startsOn: '', endsOn: '' }])),
  });
  async function publish(event: FormEvent) {
    event.preventDefault();
    const windows = countries
      .map((c) => ({ country: c.code, ...form.windows[c.code] }))
      .filter((w) => w.startsOn || w.endsOn);
    const done = await action.run(
      () =>
        api('POST', '/api/coordinator-initiatives', {
          id: crypto.randomUUID(),
          name: form.name,
          description: form.description,
          windows,
        }),
      'Published: agencies can now join it.',
    );
    if (done) setForm({ ...form, name: '', description: '' });
  }
  const error = (field: string) => action.errorFor(field);
  return (
    <form className="usa-form usa-form--large" onSubmit={(event) => void publish(event)}>
      <h2>Publish an initiative</h2>
      <ActionOutcome error={action.error} done={action.done} />
      <Field id="ci-name" label="Name" error={error('name')}>
        <input
          className="usa-input"
          id="ci-name"
          required
          value={form.name}
          aria-describedby={describedBy('ci-name', undefined, error('name'))}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </Field>
      <Field id="ci-description" label="What agencies are asked to do">
        <textarea
          className="usa-textarea"
          id="ci-description"
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
        />
      </Field>
      {error('windows') && <Alert type="error">{error('windows')}</Alert>}
      {countries.map((c, index) => (
        <Fieldset
          key={c.code}
          legend={`Dates in ${c.label} (leave empty if it does not run there)`}
        >
          {(['startsOn', 'endsOn'] as const).map((end) => {
            const id = `ci-${c.code}-${end}`;
            const message = error(`windows.${index}.${end}`);
            return (
              <Field
                key={end}
                id={id}
                label={end === 'startsOn' ? 'First day' : 'Last day'}
                error={message}
              >
                <input
                  className="usa-input"
                  id={id}
                  type="date"
                  value={form.windows[c.code]?.[end] ?? ''}
                  aria-describedby={describedBy(id, undefined, message)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      windows: {
                        ...form.windows,
                        [c.code]: {
                          startsOn: form.windows[c.code]?.startsOn ?? '',
                          endsOn: form.windows[c.code]?.endsOn ?? '',
                          [end]: e.target.value,
                        },
                      },
                    })
                  }
                />
              </Field>
            );
          })}
        </Fieldset>
      ))}
      <button className="usa-button" type="submit" disabled={action.busy}>
        Publish
      </button>
    </form>
  );
}

/** One coordinator initiative: the coordinator's results, or the agency's submission. */
export function CoordinatorInitiativePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const initiative = useGet<CoordinatorInitiative>(`/api/coordinator-initiatives/${id}`);
  if (!initiative.data) {
    return initiative.isError ? <p role="alert">No such initiative.</p> : <p>Loading…</p>;
  }
  const i = initiative.data;
  const coordinates =
    roleHasPermission(me.user.role, 'coordination:manage') && i.agencyId === me.agency.id;
  return (
    <>
      <h1>{i.name}</h1>
      <p className="usa-intro">
        {i.coordinator}.{' '}
        {i.windows.map((w) => `${w.country}: ${w.startsOn} to ${w.endsOn}`).join('; ')}.
      </p>
      {i.description && <p>{i.description}</p>}
      {coordinates ? (
        <Results id={id} />
      ) : roleHasPermission(me.user.role, 'submissions:read') ? (
        <OwnSubmission initiative={i} />
      ) : null}
    </>
  );
}

function Results({ id }: { id: string }) {
  const results = useGet<CoordinatorResults>(`/api/coordinator-initiatives/${id}/results`);
  const action = useAction();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  if (!results.data) return <p>Loading…</p>;
  const r = results.data;
  const base = `/api/coordinator-initiatives/${id}`;
  return (
    <>
      <h2>Totals of the submitted counts</h2>
      <p>
        {r.totals.jurisdictions} of {r.agencies.length} participating agencies have submitted.{' '}
        <a className="usa-link" href={`${base}/results.csv`} download>
          Download the counts as CSV
        </a>
        {' · '}
        <a className="usa-link" href={`${base}/report.pdf`} download>
          After-action report (PDF)
        </a>
        {' · '}
        <a className="usa-link" href={`${base}/report.zip`} download>
          CSV bundle (zip)
        </a>
        {' · '}
        <a className="usa-link" href={`${base}/report.json`} download>
          JSON
        </a>
      </p>
      <ActionOutcome error={action.error} done={action.done} />
      <TableScroll label="Counts by agency">
        <table className="usa-table usa-table--compact width-full">
          <thead>
            <tr>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Status</th>
              <th scope="col">Personnel</th>
              {submissionMetrics.map((m) => (
                <th scope="col" key={m.key}>
                  {m.label}
                </th>
              ))}
              <th scope="col">Revision</th>
            </tr>
          </thead>
          <tbody>
            {r.agencies.map((a) => (
              <tr key={a.agencyId}>
                <th scope="row">{a.jurisdiction}</th>
                <td>{a.status.replace('_', ' ')}</td>
                <td>{formatNumber(a.personnel)}</td>
                {submissionMetrics.map((m) => (
                  <td key={m.key}>{formatNumber(a.counts[m.key])}</td>
                ))}
                <td>
                  {a.status === 'submitted' && (
                    <form
                      onSubmit={(event) => {
                        event.preventDefault();
                        void action.run(
                          () =>
                            api('POST', `${base}/submissions/${a.agencyId}/request-revision`, {
                              reason: reasons[a.agencyId] ?? '',
                            }),
                          `Reopened for ${a.jurisdiction}.`,
                        );
                      }}
                    >
                      <label className="usa-sr-only" htmlFor={`reason-${a.agencyId}`}>
                        What {a.jurisdiction} should revise
                      </label>
                      <input
                        className="usa-input usa-input--small"
                        id={`reason-${a.agencyId}`}
                        placeholder="What to revise"
                        value={reasons[a.agencyId] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [a.agencyId]: e.target.value })}
                      />
                      <button className="usa-button usa-button--unstyled" type="submit">
                        Ask for a revision
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td />
              <td data-testid="total-personnel">{formatNumber(r.totals.personnel)}</td>
              {submissionMetrics.map((m) => (
                <td key={m.key} data-testid={`total-${m.key}`}>
                  {formatNumber(r.totals.counts[m.key])}
                </td>
              ))}
              <td />
            </tr>
          </tfoot>
        </table>
      </TableScroll>
    </>
  );
}

function OwnSubmission({ initiative }: { initiative: CoordinatorInitiative }) {
  const me = useMe();
  const action = useAction();
  const submission = useGet<Submission>(
    initiative.joined ? `/api/coordinator-initiatives/${initiative.id}/submission` : null,
  );
  const writes = roleHasPermission(me.user.role, 'submissions:write');
  if (!initiative.joined) {
    return writes ? (
      <>
        <ActionOutcome error={action.error} done={action.done} />
        <button
          className="usa-button"
          type="button"
          onClick={() =>
            void action.run(
              () => api('POST', `/api/coordinator-initiatives/${initiative.id}/join`),
              'Joined: check the counts below, then submit them.',
            )
          }
        >
          Take part
        </button>
      </>
    ) : (
      <p>Your agency does not take part.</p>
    );
  }
  if (!submission.data) return <p>Loading…</p>;
  return (
    <SubmissionForm
      key={`${submission.data.version}`}
      submission={submission.data}
      writes={writes}
    />
  );
}

function SubmissionForm({ submission, writes }: { submission: Submission; writes: boolean }) {
  const action = useAction();
  const locked = submission.status === 'submitted' || !writes;
  const [form, setForm] = useState({
    jurisdiction: submission.jurisdiction,
    personnel: String(submission.personnel),
    counts: Object.fromEntries(
      submissionMetrics.map((m) => [m.key, String(submission.counts[m.key])]),
    ),
    narrative: submission.narrative,
  });
  const url = `/api/coordinator-initiatives/${submission.coordinatorInitiativeId}/submission`;
  // What differs from the submission this form was made from (it is made anew at each version).
  const body = () => {
    const counts = changedFields(
      submission.counts as Record<string, number>,
      Object.fromEntries(Object.entries(form.counts).map(([k, v]) => [k, Number(v)])),
    );
    return {
      version: submission.version,
      ...changedFields(
        {
          jurisdiction: submission.jurisdiction,
          personnel: submission.personnel,
          narrative: submission.narrative,
        },
        {
          jurisdiction: form.jurisdiction,
          personnel: Number(form.personnel),
          narrative: form.narrative,
        },
      ),
      ...(Object.keys(counts).length > 0 ? { counts } : {}),
    };
  };
  const error = (field: string) => action.errorFor(field);
  const numberField = (
    id: string,
    label: string,
    value: string,
    fromRecords: number | undefined,
    set: (v: string) => void,
    field: string,
  ) => (
    <Field
      key={id}
      id={id}
      label={label}
      hint={fromRecords === undefined ? undefined : `Your records say ${formatNumber(fromRecords)}`}
      error={error(field)}
    >
      <input
        className="usa-input usa-input--small"
        id={id}
        type="number"
        min={0}
        disabled={locked}
        value={value}
        aria-describedby={describedBy(
          id,
          fromRecords === undefined ? undefined : 'hint',
          error(field),
        )}
        onChange={(e) => set(e.target.value)}
      />
    </Field>
  );
  return (
    <form
      className="usa-form usa-form--large"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(() => api('PATCH', url, body()), 'Saved; not submitted yet.');
      }}
    >
      <h2>Your agency’s submission</h2>
      {submission.status === 'submitted' && (
        <Alert type="success">
          Submitted {submission.submittedAt?.slice(0, 10)}: locked. The coordinator may reopen it
          for a revision.
        </Alert>
      )}
      {submission.status === 'revision_requested' && (
        <Alert type="warning">The coordinator asked for a revision: change and submit again.</Alert>
      )}
      <ActionOutcome error={action.error} done={action.done} />
      <Field id="jurisdiction" label="Jurisdiction" error={error('jurisdiction')}>
        <input
          className="usa-input"
          id="jurisdiction"
          disabled={locked}
          value={form.jurisdiction}
          aria-describedby={describedBy('jurisdiction', undefined, error('jurisdiction'))}
          onChange={(e) => setForm({ ...form, jurisdiction: e.target.value })}
        />
      </Field>
      {numberField(
        'personnel',
        'Enforcement personnel taking part',
        form.personnel,
        submission.fromRecords?.personnel,
        (v) => setForm({ ...form, personnel: v }),
        'personnel',
      )}
      {submissionMetrics.map((m) =>
        numberField(
          `count-${m.key}`,
          m.label,
          form.counts[m.key] ?? '0',
          submission.fromRecords?.counts[m.key],
          (v) => setForm({ ...form, counts: { ...form.counts, [m.key]: v } }),
          `counts.${m.key}`,
        ),
      )}
      <Field id="submission-narrative" label="What your agency did, in a few lines">
        <textarea
          className="usa-textarea"
          id="submission-narrative"
          disabled={locked}
          value={form.narrative}
          onChange={(e) => setForm({ ...form, narrative: e.target.value })}
        />
      </Field>
      {!locked && (
        <p>
          <button className="usa-button usa-button--outline" type="submit" disabled={action.busy}>
            Save
          </button>
          <button
            className="usa-button"
            type="button"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                const saved = await api<Submission>('PATCH', url, body());
                await api('POST', `${url}/submit`, { version: saved.version });
              }, 'Submitted: the counts are locked.')
            }
          >
            Submit
          </button>
        </p>
      )}
    </form>
  );
}
