import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { initiativePlaces, initiatives, places } from '#db/schema.ts';

export type InitiativeRow = typeof initiatives.$inferSelect;

export async function findInitiative(db: Executor, id: string): Promise<InitiativeRow | undefined> {
  const [row] = await db.select().from(initiatives).where(eq(initiatives.id, id));
  return row;
}

export async function insertInitiative(
  db: Executor,
  row: typeof initiatives.$inferInsert,
): Promise<InitiativeRow> {
  const [created] = await db.insert(initiatives).values(row).returning();
  if (!created) throw new Error('insert into initiatives returned no row');
  return created;
}

export async function updateInitiativeAtVersion(
  db: Executor,
  id: string,
  version: number,
  changes: Partial<typeof initiatives.$inferInsert>,
): Promise<InitiativeRow | undefined> {
  const [row] = await db
    .update(initiatives)
    .set({ ...changes, version: sql`${initiatives.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(initiatives.id, id), eq(initiatives.version, version)))
    .returning();
  return row;
}

export interface InitiativeFilter {
  agencyId: string;
  /** With `today`, keeps the initiatives of that status on that local date. */
  status?: 'planned' | 'active' | 'closed' | undefined;
  today: string;
  /** Newest first: initiatives starting before this `startsOn|id` cursor. */
  before?: { startsOn: string; id: string } | undefined;
  limit: number;
}

const statusCondition = (status: InitiativeFilter['status'], today: string) => {
  if (status === 'closed') return isNotNull(initiatives.closedAt);
  if (status === 'planned')
    return and(isNull(initiatives.closedAt), gt(initiatives.startsOn, today));
  if (status === 'active')
    return and(isNull(initiatives.closedAt), lte(initiatives.startsOn, today));
  return undefined;
};

export async function listInitiativeRows(
  db: Executor,
  filter: InitiativeFilter,
): Promise<InitiativeRow[]> {
  const before = filter.before;
  return db
    .select()
    .from(initiatives)
    .where(
      and(
        eq(initiatives.agencyId, filter.agencyId),
        isNull(initiatives.deletedAt),
        statusCondition(filter.status, filter.today),
        before
          ? or(
              lt(initiatives.startsOn, before.startsOn),
              and(eq(initiatives.startsOn, before.startsOn), lt(initiatives.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(initiatives.startsOn), desc(initiatives.id))
    .limit(filter.limit);
}

export async function listTargetPlaceIds(
  db: Executor,
  initiativeIds: string[],
): Promise<Map<string, string[]>> {
  const byInitiative = new Map<string, string[]>(initiativeIds.map((id) => [id, []]));
  if (initiativeIds.length === 0) return byInitiative;
  const rows = await db
    .select()
    .from(initiativePlaces)
    .where(inArray(initiativePlaces.initiativeId, initiativeIds))
    .orderBy(asc(initiativePlaces.placeId));
  for (const row of rows) byInitiative.get(row.initiativeId)?.push(row.placeId);
  return byInitiative;
}

export async function replaceTargetPlaces(
  db: Executor,
  initiativeId: string,
  placeIds: string[],
): Promise<void> {
  await db.delete(initiativePlaces).where(eq(initiativePlaces.initiativeId, initiativeId));
  if (placeIds.length > 0) {
    await db
      .insert(initiativePlaces)
      .values(placeIds.map((placeId) => ({ initiativeId, placeId })));
  }
}

/** Of `placeIds`, those that are live places of the agency. */
export async function existingPlaceIds(
  db: Executor,
  agencyId: string,
  placeIds: string[],
): Promise<Set<string>> {
  if (placeIds.length === 0) return new Set();
  const rows = await db
    .select({ id: places.id })
    .from(places)
    .where(
      and(eq(places.agencyId, agencyId), isNull(places.deletedAt), inArray(places.id, placeIds)),
    );
  return new Set(rows.map((r) => r.id));
}
