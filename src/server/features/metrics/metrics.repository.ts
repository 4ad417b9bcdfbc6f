import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { agencyMetrics } from '#db/schema.ts';

export type AgencyMetricRow = typeof agencyMetrics.$inferSelect;

export function agencyMetricRows(db: Executor, agencyId: string): Promise<AgencyMetricRow[]> {
  return db
    .select()
    .from(agencyMetrics)
    .where(eq(agencyMetrics.agencyId, agencyId))
    .orderBy(asc(agencyMetrics.key));
}

export async function findAgencyMetric(db: Executor, id: string) {
  const [row] = await db.select().from(agencyMetrics).where(eq(agencyMetrics.id, id));
  return row;
}

export async function agencyMetricKeyTaken(db: Executor, agencyId: string, key: string) {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(agencyMetrics)
    .where(and(eq(agencyMetrics.agencyId, agencyId), eq(agencyMetrics.key, key)));
  return row !== undefined;
}

export async function insertAgencyMetric(db: Executor, row: typeof agencyMetrics.$inferInsert) {
  const [created] = await db.insert(agencyMetrics).values(row).returning();
  if (!created) throw new Error('insert into agency_metrics returned no row');
  return created;
}
