import { and, eq, isNull, param, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { initiatives, inspections, users } from '#db/schema.ts';

export async function existingInspectionIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: inspections.id })
    .from(inspections)
    .where(sql`${inspections.id} = any(${param(ids)}::uuid[])`);
  return new Set(rows.map((r) => r.id));
}

/** The agency's live inspections with these report numbers, and where each came from. */
export async function inspectionsByReportNumber(
  db: Executor,
  agencyId: string,
  reportNumbers: string[],
) {
  const found = new Map<string, 'milepost' | 'state_import'>();
  if (reportNumbers.length === 0) return found;
  const rows = await db
    .select({ reportNumber: inspections.reportNumber, source: inspections.source })
    .from(inspections)
    .where(
      and(
        eq(inspections.agencyId, agencyId),
        isNull(inspections.deletedAt),
        // One array parameter, not a thousand: see insertInspectionRows.
        sql`${inspections.reportNumber} = any(${param(reportNumbers)}::text[])`,
      ),
    );
  for (const row of rows) {
    // Milepost's own record wins: it is what the state row joins to.
    if (row.reportNumber && found.get(row.reportNumber) !== 'milepost')
      found.set(row.reportNumber, row.source);
  }
  return found;
}

export async function insertInspectionRows(
  db: Executor,
  rows: (typeof inspections.$inferInsert)[],
): Promise<void> {
  if (rows.length > 0) await db.insert(inspections).values(rows);
}

export async function agencyUserIds(db: Executor, agencyId: string): Promise<Set<string>> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.agencyId, agencyId));
  return new Set(rows.map((r) => r.id));
}

export function agencyInitiatives(db: Executor, agencyId: string) {
  return db
    .select({
      id: initiatives.id,
      startsOn: initiatives.startsOn,
      endsOn: initiatives.endsOn,
      closedAt: initiatives.closedAt,
    })
    .from(initiatives)
    .where(and(eq(initiatives.agencyId, agencyId), isNull(initiatives.deletedAt)));
}
