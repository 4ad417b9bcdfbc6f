import { useMemo, useState } from 'react';
import { actionsTaken, labelOf, materialKinds, redFlags } from '#shared/catalogues/field.ts';
import { metrics } from '#shared/catalogues/metrics.ts';
import type { AppConfig } from '#shared/contracts/app-config.ts';
import type { Page } from '#shared/contracts/common.ts';
import type { Initiative } from '#shared/contracts/initiatives.ts';
import type { Place } from '#shared/contracts/places.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import { formatNumber, formatTime } from '../../lib/format.ts';
import { useGet } from '../../lib/use-api.ts';
import { TableScroll } from '../../ui/table-scroll.tsx';
import { type MapPlace, PlacesMap } from './places-map.tsx';

/** How often the dashboard asks again, so a supervisor sees the squad's entries come in. */
const refreshEveryMs = 10_000;

const metricLabel = (key: string) => metrics.find((m) => m.key === key)?.label ?? key;

function CountTable<T>({
  caption,
  rows,
  columns,
  rowKey,
}: {
  caption: string;
  rows: T[];
  columns: { header: string; value: (row: T) => string | number; numeric?: boolean }[];
  rowKey: (row: T) => string;
}) {
  return (
    <TableScroll label={caption}>
      <table className="usa-table usa-table--compact usa-table--striped width-full">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? 'text-right' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length}>Nothing recorded yet.</td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c, index) =>
                index === 0 ? (
                  <th key={c.header} scope="row">
                    {c.value(row)}
                  </th>
                ) : (
                  <td key={c.header} className={c.numeric ? 'text-right' : undefined}>
                    {typeof c.value(row) === 'number'
                      ? formatNumber(c.value(row) as number)
                      : c.value(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The initiative's progress for a supervisor: goals, days, officers, material, red flags. */
export function DashboardPage() {
  const initiatives = useGet<Page<Initiative>>('/api/initiatives?limit=50');
  const [chosen, setChosen] = useState<string | null>(null);
  const list = initiatives.data?.items ?? [];
  const initiative =
    list.find((i) => i.id === chosen) ?? list.find((i) => i.status === 'active') ?? list[0];
  const summary = useGet<Summary>(initiative ? `/api/initiatives/${initiative.id}/summary` : null, {
    refetchInterval: refreshEveryMs,
  });
  const s = summary.data;
  const config = useGet<AppConfig>('/api/app-config');
  const places = useGet<Page<Place>>('/api/places?limit=200');
  const mapPlaces = useMemo<MapPlace[]>(() => {
    const targets = new Set(initiative?.targetPlaceIds ?? []);
    const worked = new Map(
      (s?.byPlace ?? []).map((p) => [p.placeId, p.inspections + p.outreachVisits > 0]),
    );
    const visited = new Set(
      (s?.byPlace ?? []).filter((p) => p.outreachVisits > 0).map((p) => p.placeId),
    );
    return (places.data?.items ?? [])
      .filter((p) => targets.has(p.id) || worked.get(p.id))
      .map((place) => ({ place, target: targets.has(place.id), visited: visited.has(place.id) }));
  }, [initiative, s, places.data]);

  return (
    <>
      <h1>Dashboard</h1>
      {list.length > 0 && (
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="initiative">
            Initiative
          </label>
          <select
            className="usa-select"
            id="initiative"
            value={initiative?.id ?? ''}
            onChange={(e) => setChosen(e.target.value)}
          >
            {list.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.startsOn} to {i.endsOn}, {i.status})
              </option>
            ))}
          </select>
        </div>
      )}
      {!initiative && initiatives.isSuccess && <p>No initiative yet.</p>}
      {summary.isError && (
        <div className="usa-alert usa-alert--error usa-alert--slim" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The figures could not be loaded; retrying.</p>
          </div>
        </div>
      )}
      {s && (
        <>
          <p className="usa-hint" aria-live="polite">
            Updated {formatTime(summary.dataUpdatedAt)}; refreshes by itself.
          </p>
          <h2>Totals</h2>
          <ul className="totals" aria-label="Totals">
            {(
              [
                'inspections',
                'inspections_with_outreach',
                'outreach_visits',
                'places_visited',
                'people_reached',
                'materials_handed_out',
                'red_flag_observations',
                'referrals',
              ] as const
            ).map((key) => (
              <li key={key} className="totals__item">
                <span className="totals__value" data-testid={`total-${key}`}>
                  {formatNumber(s.totals[key] ?? 0)}
                </span>
                <span className="totals__label">{metricLabel(key)}</span>
              </li>
            ))}
          </ul>
          {s.inspections.shareWithOutreach !== null && (
            <p>
              {Math.round(s.inspections.shareWithOutreach * 100)}% of all inspections (
              {formatNumber(s.inspections.recorded)} logged here,{' '}
              {formatNumber(s.inspections.imported)} from the state's file) included outreach.
            </p>
          )}

          <CountTable
            caption="Goals"
            rows={s.goals}
            rowKey={(g) => g.metric}
            columns={[
              { header: 'Metric', value: (g) => metricLabel(g.metric) },
              { header: 'Goal', value: (g) => g.goal, numeric: true },
              { header: 'So far', value: (g) => g.actual, numeric: true },
              {
                header: 'Progress',
                value: (g) => (g.progress === null ? '—' : `${Math.round(g.progress * 100)}%`),
                numeric: true,
              },
            ]}
          />
          <CountTable
            caption="By day"
            rows={s.byDay}
            rowKey={(d) => d.date}
            columns={[
              { header: 'Day', value: (d) => d.date },
              { header: 'Inspections', value: (d) => d.inspections, numeric: true },
              { header: 'Visits', value: (d) => d.outreachVisits, numeric: true },
              { header: 'Material', value: (d) => d.materialsHandedOut, numeric: true },
              { header: 'Activities', value: (d) => d.activities, numeric: true },
            ]}
          />
          <CountTable
            caption="By officer"
            rows={s.byOfficer}
            rowKey={(o) => o.officerId}
            columns={[
              { header: 'Officer', value: (o) => o.name },
              { header: 'Inspections', value: (o) => o.inspections, numeric: true },
              { header: 'Visits', value: (o) => o.outreachVisits, numeric: true },
              { header: 'Material', value: (o) => o.materialsHandedOut, numeric: true },
              { header: 'Activities', value: (o) => o.activities, numeric: true },
            ]}
          />
          <CountTable
            caption="Material handed out, by kind and language"
            rows={s.byMaterial}
            rowKey={(m) => `${m.kind}-${m.language}`}
            columns={[
              { header: 'Kind', value: (m) => labelOf(materialKinds, m.kind) },
              { header: 'Language', value: (m) => m.language },
              { header: 'Handed out', value: (m) => m.quantity, numeric: true },
            ]}
          />
          <CountTable
            caption="Red flags seen"
            rows={s.byRedFlag}
            rowKey={(f) => f.code}
            columns={[
              { header: 'Red flag', value: (f) => labelOf(redFlags, f.code) },
              { header: 'Inspections', value: (f) => f.count, numeric: true },
            ]}
          />
          <CountTable
            caption="Actions taken"
            rows={s.byAction}
            rowKey={(a) => a.code}
            columns={[
              { header: 'Action', value: (a) => labelOf(actionsTaken, a.code) },
              { header: 'Inspections', value: (a) => a.count, numeric: true },
            ]}
          />
          <h2>Places</h2>
          {config.data && mapPlaces.length > 0 && (
            <PlacesMap places={mapPlaces} config={config.data.map} />
          )}
          <CountTable
            caption="By place"
            rows={s.byPlace}
            rowKey={(p) => p.placeId}
            columns={[
              { header: 'Place', value: (p) => p.name },
              { header: 'Inspections', value: (p) => p.inspections, numeric: true },
              { header: 'Visits', value: (p) => p.outreachVisits, numeric: true },
              { header: 'People reached', value: (p) => p.peopleReached, numeric: true },
            ]}
          />
        </>
      )}
    </>
  );
}
