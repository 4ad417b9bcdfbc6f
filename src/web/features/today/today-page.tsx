import { Link } from 'react-router';
import type { Page } from '#shared/contracts/common.ts';
import type { Initiative } from '#shared/contracts/initiatives.ts';
import type { Inspection } from '#shared/contracts/records.ts';
import type { StockHolding } from '#shared/contracts/stock.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import { localDateOf } from '#shared/time.ts';
import { paths } from '../../app/paths.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useOutbox } from '../../lib/outbox-hooks.ts';
import { useMe } from '../../lib/session.tsx';
import { useGet } from '../../lib/use-api.ts';
import { TableScroll } from '../../ui/table-scroll.tsx';

/** A count, or a dash while it is not known (offline, or still loading): never a false 0. */
function countOf(summary: Summary | undefined, value: number | undefined): string {
  return summary ? String(value ?? 0) : '–';
}

function OwnCounts({ summary, label }: { summary: Summary | undefined; label: string }) {
  const me = useMe();
  const mine = summary?.byOfficer.find((o) => o.officerId === me.user.id);
  return (
    <div className="tile">
      <h3 className="tile__title">{label}</h3>
      <dl className="tile__counts">
        <dt>Inspections</dt>
        <dd data-testid={`${label}-inspections`}>{countOf(summary, mine?.inspections)}</dd>
        <dt>Visits</dt>
        <dd>{countOf(summary, mine?.outreachVisits)}</dd>
        <dt>Material handed out</dt>
        <dd>{countOf(summary, mine?.materialsHandedOut)}</dd>
      </dl>
    </div>
  );
}

/** The officer's day: the initiative, their own counts, the stock they carry, recent entries. */
export function TodayPage() {
  const me = useMe();
  const today = localDateOf(new Date(), me.agency.timeZone);
  const initiatives = useGet<Page<Initiative>>('/api/initiatives?status=active');
  const initiative = initiatives.data?.items[0];
  const todaySummary = useGet<Summary>(`/api/summary?from=${today}&to=${today}`);
  const initiativeSummary = useGet<Summary>(
    initiative ? `/api/initiatives/${initiative.id}/summary` : null,
  );
  const stock = useGet<Page<StockHolding>>('/api/stock');
  const recent = useGet<Page<Inspection>>(`/api/inspections?officerId=${me.user.id}&limit=5`);
  const { entries } = useOutbox();
  const carried = stock.data?.items.filter((h) => h.holderId === me.user.id) ?? [];
  // Without a network (or with Milepost down) the questions fail after their retries: say so,
  // rather than "Loading…" for ever over counts of zero.
  const unreachable = [initiatives, todaySummary, stock].some((query) => query.isError);

  return (
    <>
      <h1>Today</h1>
      <p className="usa-intro today__initiative">
        {initiative ? (
          <>
            <strong>{initiative.name}</strong>, {initiative.startsOn} to {initiative.endsOn}
          </>
        ) : initiatives.isSuccess ? (
          'No initiative is running today.'
        ) : unreachable ? (
          'Milepost cannot be reached: the initiative and your counts show when it can. What you log now waits on this phone.'
        ) : (
          'Loading the initiative…'
        )}
      </p>
      <Link className="usa-button usa-button--big width-full" to={paths.logInspection}>
        Log inspection
      </Link>
      <div className="log-others">
        <Link className="usa-button usa-button--outline" to={paths.logVisit}>
          Log visit
        </Link>
        <Link className="usa-button usa-button--outline" to={paths.logActivity}>
          Log activity
        </Link>
      </div>
      <h2>Your counts</h2>
      <div className="tiles">
        <OwnCounts summary={todaySummary.data} label="Today" />
        <OwnCounts summary={initiativeSummary.data} label="Initiative" />
      </div>
      <h2>Material you carry</h2>
      {!stock.isSuccess ? (
        <p>{unreachable ? 'Shown when Milepost can be reached.' : 'Loading…'}</p>
      ) : carried.length === 0 ? (
        <p>None issued to you. Ask your supervisor for wallet cards and decals.</p>
      ) : (
        <TableScroll label={'Material you carry'}>
          <table className="usa-table usa-table--compact width-full">
            <thead>
              <tr>
                <th scope="col">Material</th>
                <th scope="col">On hand</th>
              </tr>
            </thead>
            <tbody>
              {carried.map((h) => (
                <tr key={h.materialId}>
                  <td>
                    {h.materialName} ({h.language})
                  </td>
                  <td data-testid={`stock-${h.materialId}`}>{h.onHand}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2>Recent entries</h2>
      <ul className="usa-list">
        {entries.map((e) => (
          <li key={e.id}>
            {e.summary}{' '}
            <span className="usa-tag">{e.state === 'pending' ? 'waiting' : e.state}</span>
          </li>
        ))}
        {recent.data?.items.map((i) => (
          <li key={i.id}>
            Inspection, Level {i.level}, {formatDateTime(i.occurredAt)}{' '}
            <Link
              to={paths.editInspection(i.id)}
              aria-label={`Change the inspection of ${formatDateTime(i.occurredAt)}`}
            >
              Change
            </Link>
          </li>
        ))}
      </ul>
      {recent.isError && (
        <p>
          Could not load your recent entries.{' '}
          <button
            className="usa-button usa-button--unstyled"
            type="button"
            onClick={() => void recent.refetch()}
          >
            Try again
          </button>
        </p>
      )}
    </>
  );
}
