import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { agencies } from '#db/schema.ts';

export type AgencyRow = typeof agencies.$inferSelect;
export type AgencyInsert = typeof agencies.$inferInsert;

export async function findAgency(db: Executor, id: string): Promise<AgencyRow | undefined> {
  const [row] = await db.select().from(agencies).where(eq(agencies.id, id));
  return row;
}

export async function findAgencyBySlug(db: Executor, slug: string): Promise<AgencyRow | undefined> {
  const [row] = await db.select().from(agencies).where(eq(agencies.slug, slug));
  return row;
}

export function listAgencyRows(db: Executor, afterSlug: string | undefined, limit: number) {
  return db
    .select()
    .from(agencies)
    .where(afterSlug ? gt(agencies.slug, afterSlug) : undefined)
    .orderBy(asc(agencies.slug))
    .limit(limit);
}

export async function insertAgency(db: Executor, row: AgencyInsert): Promise<AgencyRow> {
  const [created] = await db.insert(agencies).values(row).returning();
  if (!created) throw new Error('insert into agencies returned no row');
  return created;
}

export async function updateAgencyRow(
  db: Executor,
  id: string,
  changes: Partial<AgencyInsert>,
): Promise<AgencyRow | undefined> {
  const [updated] = await db
    .update(agencies)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(agencies.id, id))
    .returning();
  return updated;
}
