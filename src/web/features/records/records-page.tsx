import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { actionsTaken, labelOf } from '#shared/catalogues/field.ts';
import { metrics } from '#shared/catalogues/metrics.ts';
import type { Page } from '#shared/contracts/common.ts';
import type { Initiative } from '#shared/contracts/initiatives.ts';
import type { Activity, Inspection, OutreachVisit } from '#shared/contracts/records.ts';
import type { Person } from '#shared/contracts/users.ts';
import { roleHasPermission } from '#shared/roles.ts';
import { paths } from '../../app/paths.ts';
import { get } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useMe } from '../../lib/session.tsx';
import { useGet } from '../../lib/use-api.ts';
import { useFilters } from '../../lib/use-filters.ts';
import { TableScroll } from '../../ui/table-scroll.tsx';

const kinds = {
  inspections: { label: 'Inspections', path: '/api/inspections' },
  visits: { label: 'Truck-stop visits', path: '/api/outreach-visits' },
  activities: { label: 'Activities', path: '/api/activities' },
} as const;
type Kind = keyof typeof kinds;
type AnyRecord = Inspection | OutreachVisit | Activity;

/** The filters the list, its CSV export and the address bar share. */
const filterKeys = ['initiativeId', 'officerId', 'from', 'to', 'includeDeleted'] as const;

function what(kind: Kind, record: AnyRecord): string {
  if (kind === 'inspections') {
    const r = record as Inspection;
    const action = r.action === 'none' ? '' : `, ${labelOf(actionsTaken, r.action)}`;
    return `Level ${r.level}${r.outreachGiven ? ', outreach' : ''}${r.redFlags.length ? `, ${r.redFlags.length} red flag(s)` : ''}${action}`;
  }
  if (kind === 'visits') {
    const r = record as OutreachVisit;
    return `${r.reached.drivers + r.reached.staff + r.reached.public} reached`;
  }
  const r = record as Activity;
  return `${metrics.find((m) => m.key === r.kind)?.label ?? r.kind}: ${r.count}`;
}

/** Every record of the agency, filtered, paged, exported with the same filters. */
export function RecordsPage() {
  const [params, set] = useFilters();
  const kind: Kind =
    (params.get('kind') as Kind) in kinds ? (params.get('kind') as Kind) : 'inspections';
  const filters = new URLSearchParams();
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters.set(key, value);
  }
  const query = filters.toString();
  const initiatives = useGet<Page<Initiative>>('/api/initiatives?limit=50');
  const me = useMe();
  // An officer sees their own records only, and needs no list of people.
  const seesEveryone = roleHasPermission(me.user.role, 'people:read');
  const people = useGet<{ items: Person[] }>(seesEveryone ? '/api/people' : null);
  const nameOf = new Map((people.data?.items ?? []).map((p) => [p.id, p.displayName]));
  const records = useInfiniteQuery({
    queryKey: ['records', kind, query],
    queryFn: ({ pageParam }) =>
      get<Page<AnyRecord>>(
        `${kinds[kind].path}?${query}${query ? '&' : ''}limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = records.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <h1>{seesEveryone ? 'Records' : 'My entries'}</h1>
      <form className="usa-form records-filters" onSubmit={(e) => e.preventDefault()}>
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="kind">
            Kind
          </label>
          <select
            className="usa-select"
            id="kind"
            value={kind}
            onChange={(e) => set('kind', e.target.value)}
          >
            {(Object.keys(kinds) as Kind[]).map((k) => (
              <option key={k} value={k}>
                {kinds[k].label}
              </option>
            ))}
          </select>
        </div>
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="filter-initiative">
            Initiative
          </label>
          <select
            className="usa-select"
            id="filter-initiative"
            value={params.get('initiativeId') ?? ''}
            onChange={(e) => set('initiativeId', e.target.value)}
          >
            <option value="">Any</option>
            {(initiatives.data?.items ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </div>
        <div className="usa-form-group" hidden={!seesEveryone}>
          <label className="usa-label" htmlFor="filter-officer">
            Officer
          </label>
          <select
            className="usa-select"
            id="filter-officer"
            value={params.get('officerId') ?? ''}
            onChange={(e) => set('officerId', e.target.value)}
          >
            <option value="">Anyone</option>
            {(people.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="filter-from">
            From
          </label>
          <input
            className="usa-input"
            id="filter-from"
            type="date"
            value={params.get('from') ?? ''}
            onChange={(e) => set('from', e.target.value)}
          />
        </div>
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="filter-to">
            To
          </label>
          <input
            className="usa-input"
            id="filter-to"
            type="date"
            value={params.get('to') ?? ''}
            onChange={(e) => set('to', e.target.value)}
          />
        </div>
        <div className="usa-checkbox margin-top-3">
          <input
            className="usa-checkbox__input"
            id="filter-deleted"
            type="checkbox"
            checked={params.get('includeDeleted') === 'true'}
            onChange={(e) => set('includeDeleted', e.target.checked ? 'true' : '')}
          />
          <label className="usa-checkbox__label" htmlFor="filter-deleted">
            Include deleted records
          </label>
        </div>
      </form>
      <p>
        <a
          className="usa-button usa-button--outline"
          href={`${kinds[kind].path}/export.csv${query ? `?${query}` : ''}`}
          download
        >
          Export these as CSV
        </a>
      </p>
      {records.isError && (
        <div className="usa-alert usa-alert--error usa-alert--slim" role="alert">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{String(records.error.message)}</p>
          </div>
        </div>
      )}
      <TableScroll label={kinds[kind].label}>
        <table className="usa-table usa-table--compact usa-table--striped width-full">
          <caption>
            {kinds[kind].label}: {records.isPending ? 'loading…' : rows.length}
            {records.hasNextPage ? ' shown so far' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Officer</th>
              <th scope="col">What</th>
              <th scope="col">
                <span className="usa-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.deletedAt ? 'record--deleted' : undefined}>
                <th scope="row">{formatDateTime(r.occurredAt)}</th>
                <td>
                  {r.officerId
                    ? (nameOf.get(r.officerId) ??
                      (r.officerId === me.user.id ? me.user.displayName : ''))
                    : 'State file'}
                </td>
                <td>
                  {what(kind, r)}
                  {r.deletedAt ? ` (deleted: ${r.deletedReason})` : ''}
                </td>
                <td>
                  {!r.deletedAt && (
                    <Link
                      to={
                        kind === 'inspections'
                          ? paths.editInspection(r.id)
                          : kind === 'visits'
                            ? paths.editVisit(r.id)
                            : paths.editActivity(r.id)
                      }
                    >
                      Change
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {records.hasNextPage && (
        <button
          className="usa-button usa-button--outline"
          type="button"
          disabled={records.isFetchingNextPage}
          onClick={() => void records.fetchNextPage()}
        >
          Show more
        </button>
      )}
    </>
  );
}
