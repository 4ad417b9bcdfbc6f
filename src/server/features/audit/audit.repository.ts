import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { auditLog } from '#db/schema.ts';

export type AuditInsert = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

export async function insertAuditEntry(db: Executor, entry: AuditInsert): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export interface AuditFilter {
  agencyId?: string | undefined;
  actorId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Entries older than this id (newest first). */
  beforeId?: bigint | undefined;
  limit: number;
}

export function listAuditEntries(db: Executor, filter: AuditFilter): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.agencyId ? eq(auditLog.agencyId, filter.agencyId) : undefined,
    filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.from ? gte(auditLog.occurredAt, filter.from) : undefined,
    filter.to ? lte(auditLog.occurredAt, filter.to) : undefined,
    filter.beforeId !== undefined ? lt(auditLog.id, filter.beforeId) : undefined,
  ];
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}
