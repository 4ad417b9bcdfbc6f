import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { statisticObservations, statisticSeries } from '#db/schema.ts';

export type SeriesRow = typeof statisticSeries.$inferSelect;
export type ObservationRow = typeof statisticObservations.$inferSelect;
export type ObservationInsert = typeof statisticObservations.$inferInsert;

/** Whether a later observation revised the one at hand. */
const revised = sql<boolean>`exists (select 1 from statistic_observations revision
  where revision.supersedes = statistic_observations.id)`;

/** An observation and whether a later one revised it. */
export type ObservationState = ObservationRow & { superseded: boolean };

export async function insertSeriesUnlessTaken(
  db: Executor,
  row: typeof statisticSeries.$inferInsert,
): Promise<SeriesRow | undefined> {
  const [created] = await db.insert(statisticSeries).values(row).onConflictDoNothing().returning();
  return created;
}

export async function findSeries(db: Executor, key: string): Promise<SeriesRow | undefined> {
  const [row] = await db.select().from(statisticSeries).where(eq(statisticSeries.key, key));
  return row;
}

export function listSeriesRows(db: Executor): Promise<SeriesRow[]> {
  return db.select().from(statisticSeries).orderBy(asc(statisticSeries.key));
}

/** Every observation of the given series (all when none is named), oldest period first. */
export async function observationRows(
  db: Executor,
  seriesKey?: string,
): Promise<ObservationState[]> {
  const rows = await db
    .select({
      observation: statisticObservations,
      superseded: revised,
    })
    .from(statisticObservations)
    .where(seriesKey === undefined ? undefined : eq(statisticObservations.seriesKey, seriesKey))
    .orderBy(
      asc(statisticObservations.seriesKey),
      asc(statisticObservations.periodStart),
      asc(statisticObservations.periodEnd),
      asc(statisticObservations.createdAt),
    );
  return rows.map((r) => ({ ...r.observation, superseded: Boolean(r.superseded) }));
}

export async function findObservation(
  db: Executor,
  id: string,
): Promise<ObservationRow | undefined> {
  const [row] = await db
    .select()
    .from(statisticObservations)
    .where(eq(statisticObservations.id, id));
  return row;
}

/**
 * The latest observation of a series for a period, locked until the transaction ends, so that
 * two revisions of one figure cannot both claim to be the latest.
 */
export async function lockLatestObservation(
  db: Executor,
  seriesKey: string,
  period: string,
): Promise<ObservationRow | undefined> {
  const [row] = await db
    .select()
    .from(statisticObservations)
    .where(
      and(
        eq(statisticObservations.seriesKey, seriesKey),
        eq(statisticObservations.period, period),
        sql`not ${revised}`,
      ),
    )
    .for('update');
  return row;
}

export async function insertObservation(
  db: Executor,
  row: ObservationInsert,
): Promise<ObservationRow> {
  const [created] = await db.insert(statisticObservations).values(row).returning();
  if (!created) throw new Error('the observation was not stored');
  return created;
}

/**
 * Adds observations that are not there yet: one whose id is stored, or whose period already
 * has a figure, is left as it is. Returns how many were added.
 */
export async function insertObservationsUnlessPresent(
  db: Executor,
  rows: ObservationInsert[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const added = await db
    .insert(statisticObservations)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: statisticObservations.id });
  return added.length;
}

/** Whether a later observation revised this one. */
export async function isSuperseded(db: Executor, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: statisticObservations.id })
    .from(statisticObservations)
    .where(eq(statisticObservations.supersedes, id));
  return row !== undefined;
}
