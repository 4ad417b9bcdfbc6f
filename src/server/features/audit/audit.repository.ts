import { and, desc, eq, gte, lt, lte, param, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { auditLog } from '#db/schema.ts';

export type AuditInsert = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

export async function insertAuditEntry(db: Executor, entry: AuditInsert): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/**
 * Many entries in one statement (an import's places), given as one json parameter: PGlite binds
 * parameters one by one, slowly, and a thousand entries have ten thousand.
 */
export async function insertAuditEntries(db: Executor, entries: AuditInsert[]): Promise<void> {
  if (entries.length === 0) return;
  const json = JSON.stringify(
    entries.map((e) => ({
      actor_id: e.actorId ?? null,
      agency_id: e.agencyId ?? null,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      ip: e.ip ?? null,
      user_agent: e.userAgent ?? null,
      request_id: e.requestId ?? null,
    })),
  );
  await db.execute(sql`insert into audit_log (actor_id, agency_id, action, entity_type, entity_id,
      before, after, ip, user_agent, request_id)
    select actor_id, agency_id, action, entity_type, entity_id, before, after, ip, user_agent,
      request_id
    from json_to_recordset(${param(json)}::json) as e(actor_id uuid, agency_id uuid,
      action text, entity_type text, entity_id text, before jsonb, after jsonb, ip text,
      user_agent text, request_id text)`);
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
