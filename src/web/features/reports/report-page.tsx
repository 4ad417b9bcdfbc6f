import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Initiative } from '#shared/contracts/initiatives.ts';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import type { SeriesWithObservations } from '#shared/contracts/statistics.ts';
import { paths } from '../../app/paths.ts';
import { api } from '../../lib/api.ts';
import { formatNumber } from '../../lib/format.ts';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome } from '../../ui/alert.tsx';
import { Checkbox, describedBy, Field, Fieldset } from '../../ui/fields.tsx';
import { TableScroll } from '../../ui/table-scroll.tsx';

const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * The after-action report of an initiative: its figures (the dashboard's), the files to
 * download (PDF, CSV bundle, JSON), the news-release draft with the reference statistics the
 * supervisor picks, and the supervisor's account.
 */
export function ReportPage() {
  const { id = '' } = useParams();
  const report = useGet<AfterActionReport>(`/api/initiatives/${id}/report.json`);
  const initiative = useGet<Initiative>(`/api/initiatives/${id}`);
  if (!report.data || !initiative.data) {
    return report.isError ? <p role="alert">No such initiative.</p> : <p>Loading…</p>;
  }
  const r = report.data;
  const base = `/api/initiatives/${id}`;
  return (
    <>
      <h1>After-action report: {r.initiative.name}</h1>
      <p className="usa-intro">
        {r.initiative.startsOn} to {r.initiative.endsOn}, {r.initiative.status}.{' '}
        <Link to={paths.initiative(id)}>The initiative’s plan</Link>
      </p>
      <h2>Download</h2>
      <ul className="usa-list downloads">
        <li>
          <a className="usa-link" href={`${base}/report.pdf`} download>
            The report as a PDF
          </a>
        </li>
        <li>
          <a className="usa-link" href={`${base}/report.zip`} download>
            The CSV bundle: the report, its tables and every record (zip)
          </a>
        </li>
        <li>
          <a className="usa-link" href={`${base}/report.json`} download>
            The report as JSON
          </a>
        </li>
      </ul>

      <h2>Totals against goals</h2>
      <TableScroll label="Totals against goals">
        <table className="usa-table usa-table--compact width-full">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Actual</th>
              <th scope="col">Goal</th>
              <th scope="col">Progress</th>
            </tr>
          </thead>
          <tbody>
            {r.totals.map((t) => (
              <tr key={t.metric}>
                <th scope="row">{t.label}</th>
                <td data-testid={`report-${t.metric}`}>{formatNumber(t.value)}</td>
                <td>{t.goal === null ? '' : formatNumber(t.goal)}</td>
                <td>{t.progress === null ? '' : percent(t.progress)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h2>Target places</h2>
      <TargetPlaces report={r} />

      <NewsRelease base={base} />
      <Narrative initiative={initiative.data} />
    </>
  );
}

function TargetPlaces({ report }: { report: AfterActionReport }) {
  const targets = report.places.filter((p) => p.target);
  if (targets.length === 0) return <p>The initiative has no target places.</p>;
  const visited = targets.filter((p) => p.inspections + p.outreachVisits > 0).length;
  return (
    <>
      <p>
        {visited} of {targets.length} visited.
      </p>
      <TableScroll label="Target places">
        <table className="usa-table usa-table--compact width-full">
          <thead>
            <tr>
              <th scope="col">Place</th>
              <th scope="col">Visits</th>
              <th scope="col">Inspections</th>
              <th scope="col">Material</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((p) => (
              <tr key={p.placeId}>
                <th scope="row">{p.name}</th>
                <td>
                  {p.outreachVisits === 0 && p.inspections === 0 ? 'not yet' : p.outreachVisits}
                </td>
                <td>{p.inspections}</td>
                <td>{formatNumber(p.materialsHandedOut)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** The news-release draft, quoting the reference statistics the supervisor ticks. */
function NewsRelease({ base }: { base: string }) {
  const statistics = useGet<SeriesWithObservations[]>('/api/statistics');
  const [chosen, setChosen] = useState<string[]>([]);
  const choices = (statistics.data ?? []).flatMap((series) => {
    const latest = series.observations.filter((o) => !o.superseded && o.verified).at(-1);
    return latest ? [{ key: `${series.key}@${latest.period}`, series, latest }] : [];
  });
  const query = chosen.length > 0 ? `?statistics=${encodeURIComponent(chosen.join(','))}` : '';
  return (
    <>
      <h2>News-release draft</h2>
      <p>
        Written from the initiative’s figures and the statistics you choose, each footnoted with its
        source. Edit it before it goes anywhere: Milepost sends nothing by itself.
      </p>
      <Fieldset legend="Statistics to quote">
        {choices.map(({ key, series, latest }) => (
          <Checkbox
            key={key}
            id={`statistic-${key}`}
            label={`${series.subject}: ${formatNumber(latest.value)} (${latest.periodText}; ${latest.sourceOrganisation})`}
            checked={chosen.includes(key)}
            onChange={(checked) =>
              setChosen(checked ? [...chosen, key] : chosen.filter((c) => c !== key))
            }
          />
        ))}
      </Fieldset>
      <p className="margin-top-2">
        <a className="usa-button" href={`${base}/news-release.docx${query}`} download>
          Download for Word
        </a>{' '}
        <a
          className="usa-button usa-button--outline"
          href={`${base}/news-release.md${query}`}
          download
        >
          Download as Markdown
        </a>
      </p>
    </>
  );
}

function Narrative({ initiative }: { initiative: Initiative }) {
  const action = useAction();
  const [text, setText] = useState(initiative.reportNarrative);
  async function save(event: FormEvent) {
    event.preventDefault();
    await action.run(
      () =>
        api('PUT', `/api/initiatives/${initiative.id}/report-narrative`, {
          version: initiative.version,
          narrative: text,
        }),
      'Saved: the report and its PDF carry it.',
    );
  }
  const error = action.errorFor('narrative');
  return (
    <form className="usa-form usa-form--large" onSubmit={(event) => void save(event)}>
      <h2>Your account</h2>
      <ActionOutcome error={action.error} done={action.done} />
      <Field
        id="narrative"
        label="What happened, in your words"
        hint="It closes the report. You may write it after the initiative is closed."
        error={error}
      >
        <textarea
          className="usa-textarea"
          id="narrative"
          rows={8}
          value={text}
          aria-describedby={describedBy('narrative', 'hint', error)}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <button className="usa-button" type="submit" disabled={action.busy}>
        Save the account
      </button>
    </form>
  );
}
