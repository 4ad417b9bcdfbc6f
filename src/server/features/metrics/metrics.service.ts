import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import { activityKinds, metrics } from '#shared/catalogues/metrics.ts';
import type { CreateAgencyMetric, Metric } from '#shared/contracts/metrics.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, ValidationError } from '../../errors.ts';
import { createOnce, fingerprint, withCreateRetry } from '../../records/idempotency.ts';
import { recordChange } from '../audit/audit.service.ts';
import {
  type AgencyMetricRow,
  agencyMetricKeyTaken,
  agencyMetricRows,
  findAgencyMetric,
  insertAgencyMetric,
} from './metrics.repository.ts';

const catalogueKeys = new Set<string>(metrics.map((m) => m.key));

function present(row: AgencyMetricRow): Metric {
  return {
    key: row.key,
    label: row.label,
    source: 'activities',
    description: row.description,
    agencyMetricId: row.id,
  };
}

/** The catalogue's metrics and then the agency's own, which are kinds of activity. */
export async function listMetrics(db: Executor, ctx: RequestContext): Promise<Metric[]> {
  const own = await agencyMetricRows(db, ctx.actor.agencyId);
  return [...metrics.map((m) => ({ ...m, agencyMetricId: null })), ...own.map(present)];
}

/** Keys of the agency's own metrics. */
export async function agencyMetricKeys(db: Executor, agencyId: string): Promise<string[]> {
  return (await agencyMetricRows(db, agencyId)).map((m) => m.key);
}

/** Refuses an activity kind that is neither the catalogue's nor one of the agency's metrics. */
export async function assertActivityKind(db: Executor, agencyId: string, kind: string) {
  if ((activityKinds as readonly string[]).includes(kind)) return;
  if (await agencyMetricKeyTaken(db, agencyId, kind)) return;
  throw ValidationError.field(
    'kind',
    `is not a kind of activity: use one of ${activityKinds.join(', ')} or a metric the agency added`,
  );
}

/** Refuses goals for metrics that neither the catalogue nor the agency counts. */
export async function assertGoalMetrics(db: Executor, agencyId: string, goals: object) {
  const keys = Object.keys(goals).filter((key) => !catalogueKeys.has(key));
  if (keys.length === 0) return;
  const own = new Set(await agencyMetricKeys(db, agencyId));
  const unknown = keys.filter((key) => !own.has(key));
  if (unknown.length > 0) {
    throw new ValidationError(
      unknown.map((key) => ({ field: `goals.${key}`, message: 'is not a metric of this agency' })),
    );
  }
}

/** Adds a metric of the agency's own: a kind of activity its officers can log and count. */
export async function createAgencyMetric(
  db: Database,
  ctx: RequestContext,
  input: CreateAgencyMetric,
): Promise<{ metric: Metric; created: boolean }> {
  const hash = fingerprint(input);
  const agencyId = ctx.actor.agencyId;
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'metric',
        agencyId,
        hash,
        find: () => findAgencyMetric(tx, input.id),
        insert: async () => {
          if (
            catalogueKeys.has(input.key) ||
            (await agencyMetricKeyTaken(tx, agencyId, input.key))
          ) {
            throw new ConflictError(`A metric with the key ${input.key} already exists.`, [
              { field: 'key', message: 'is already a metric' },
            ]);
          }
          return insertAgencyMetric(tx, { ...input, agencyId, requestHash: hash });
        },
      });
      const metric = present(record);
      if (created) {
        await recordChange(tx, ctx, {
          action: 'metric.created',
          entityType: 'metric',
          entityId: record.id,
          agencyId,
          after: metric,
        });
      }
      return { metric, created };
    }),
  );
}
