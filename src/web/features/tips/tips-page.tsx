import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { labelOf, redFlags } from '#shared/catalogues/field.ts';
import type { Page } from '#shared/contracts/common.ts';
import {
  type TipSummary,
  tipSources,
  tipStatuses,
  tipStatusLabels,
} from '#shared/contracts/tips.ts';
import { paths } from '../../app/paths.ts';
import { get } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useFilters } from '../../lib/use-filters.ts';
import { Alert } from '../../ui/alert.tsx';
import { TableScroll } from '../../ui/table-scroll.tsx';
import { PublicMaterial } from './public-material.tsx';

export const sourceLabels = { public: 'From the public', inspection: 'Flagged inspection' };

/**
 * The tip queue: what the public sent and the inspections officers flagged, newest first. Each
 * line says what a tip is about; opening one shows what it says, and is in the audit log.
 */
export function TipsPage() {
  const [params, set] = useFilters();
  const status = params.get('status') ?? '';
  const source = params.get('source') ?? '';
  const query = new URLSearchParams({
    ...(status ? { status } : {}),
    ...(source ? { source } : {}),
  }).toString();
  const tips = useInfiniteQuery({
    queryKey: ['tips', query],
    queryFn: ({ pageParam }) =>
      get<Page<TipSummary>>(
        `/api/tips?${query}${query ? '&' : ''}limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
  const rows = tips.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1>Tips</h1>
      <p className="usa-intro">
        What the public sent from the agency’s page, and inspections in which an officer saw a red
        flag or took an action. Opening a tip is recorded in the audit log.
      </p>
      <form className="usa-form records-filters" onSubmit={(e) => e.preventDefault()}>
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="tip-status">
            Status
          </label>
          <select
            className="usa-select"
            id="tip-status"
            value={status}
            onChange={(e) => set('status', e.target.value)}
          >
            <option value="">Any</option>
            {tipStatuses.map((s) => (
              <option key={s} value={s}>
                {tipStatusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="tip-source">
            From
          </label>
          <select
            className="usa-select"
            id="tip-source"
            value={source}
            onChange={(e) => set('source', e.target.value)}
          >
            <option value="">Anyone</option>
            {tipSources.map((s) => (
              <option key={s} value={s}>
                {sourceLabels[s]}
              </option>
            ))}
          </select>
        </div>
      </form>
      {tips.isError && (
        <Alert type="error" role="alert">
          {String(tips.error.message)}
        </Alert>
      )}
      <TableScroll label="Tips">
        <table className="usa-table usa-table--compact usa-table--striped width-full">
          <caption>
            Tips: {tips.isPending ? 'loading…' : rows.length}
            {tips.hasNextPage ? ' shown so far' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Status</th>
              <th scope="col">Red flags</th>
              <th scope="col">Place</th>
              <th scope="col">Assigned to</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((tip) => (
              <tr key={tip.id}>
                <td>
                  <Link to={paths.tip(tip.id)}>{formatDateTime(tip.receivedAt)}</Link>
                  {tip.receiptCode && <div className="font-mono-3xs">{tip.receiptCode}</div>}
                </td>
                <td>{sourceLabels[tip.source]}</td>
                <td>
                  <span className={`usa-tag tip-status tip-status--${tip.status}`}>
                    {tipStatusLabels[tip.status]}
                  </span>
                </td>
                <td>
                  {tip.redFlags.length === 0
                    ? 'None marked'
                    : tip.redFlags.map((code) => labelOf(redFlags, code)).join('; ')}
                </td>
                <td>{tip.placeName ?? '—'}</td>
                <td>{tip.assignedToName ?? 'No one yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {tips.hasNextPage && (
        <button
          type="button"
          className="usa-button usa-button--outline"
          disabled={tips.isFetchingNextPage}
          onClick={() => void tips.fetchNextPage()}
        >
          Show more
        </button>
      )}
      <PublicMaterial />
    </>
  );
}
