import type { Metric } from '#shared/contracts/metrics.ts';
import { useGet } from '../../lib/use-api.ts';
import { Stepper } from '../entries/entry-fields.tsx';

/** The kinds of activity the agency counts: the catalogue's and its own. */
export function useActivityKinds(): Metric[] {
  const metrics = useGet<Metric[]>('/api/metrics');
  return (metrics.data ?? []).filter((m) => m.source === 'activities');
}

/** What kind of activity, and how many (at least one). */
export function ActivityFields({
  kinds,
  kind,
  count,
  onChange,
}: {
  kinds: Metric[];
  kind: string;
  count: number;
  onChange: (changes: { kind?: string; count?: number }) => void;
}) {
  return (
    <>
      <label className="usa-label" htmlFor="kind">
        Kind of activity
      </label>
      <select
        className="usa-select"
        id="kind"
        value={kind}
        onChange={(e) => onChange({ kind: e.target.value })}
      >
        {kinds.map((k) => (
          <option key={k.key} value={k.key}>
            {k.label}
          </option>
        ))}
      </select>
      <Stepper
        id="count"
        label="How many"
        value={count}
        onChange={(n) => onChange({ count: Math.max(1, n) })}
      />
    </>
  );
}
