import type { Executor } from '#db/client.ts';
import type { AuditEntry, ListAuditQuery } from '#shared/contracts/audit.ts';
import { roleSpansAgencies } from '#shared/roles.ts';
import type { Origin, RequestContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import {
  type AuditRow,
  insertAuditEntries,
  insertAuditEntry,
  listAuditEntries,
} from './audit.repository.ts';

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId?: string | null;
  agencyId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one entry to the audit log. Call it with the same transaction handle as the change it
 * records, so that the change and its record land together or not at all.
 */
export function recordAudit(
  tx: Executor,
  actor: { userId: string } | null,
  origin: Origin,
  event: AuditEvent,
): Promise<void> {
  return insertAuditEntry(tx, auditEntry(actor, origin, event));
}

/** The audit log's row for an event, by whom and from where. */
function auditEntry(actor: { userId: string } | null, origin: Origin, event: AuditEvent) {
  return {
    actorId: actor?.userId ?? null,
    agencyId: event.agencyId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    ip: origin.ip,
    userAgent: origin.userAgent,
    requestId: origin.requestId,
  };
}

/** Shorthand for a signed-in person's change. */
export function recordChange(tx: Executor, ctx: RequestContext, event: AuditEvent): Promise<void> {
  return recordAudit(tx, ctx.actor, ctx, event);
}

/** A signed-in person's changes of many records at once (an import), in one statement. */
export function recordChanges(
  tx: Executor,
  ctx: RequestContext,
  events: AuditEvent[],
): Promise<void> {
  return insertAuditEntries(
    tx,
    events.map((event) => auditEntry(ctx.actor, ctx, event)),
  );
}

export async function listAudit(
  db: Executor,
  ctx: RequestContext,
  query: ListAuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  // An agency administrator reads their own agency's log; only a platform admin reads across.
  const agencyId = roleSpansAgencies(ctx.actor.role) ? query.agencyId : ctx.actor.agencyId;
  const rows = await listAuditEntries(db, {
    agencyId,
    actorId: query.actorId,
    entityType: query.entityType,
    entityId: query.entityId,
    action: query.action,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    beforeId: parseCursor(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEntry),
    nextCursor: rows.length > query.limit && last ? String(last.id) : null,
  };
}

function parseCursor(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,19}$/.test(cursor))
    throw ValidationError.field('cursor', 'is not a cursor this list gave');
  return BigInt(cursor);
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    agencyId: row.agencyId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
  };
}
