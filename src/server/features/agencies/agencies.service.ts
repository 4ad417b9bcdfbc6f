import type { Database, Executor } from '#db/client.ts';
import { isUniqueViolation } from '#db/errors.ts';
import { inTransaction } from '#db/transaction.ts';
import type { Agency, CreateAgency, UpdateAgency } from '#shared/contracts/agencies.ts';
import { roleSpansAgencies } from '#shared/roles.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, findOrFail, NotFoundError } from '../../errors.ts';
import { recordChange } from '../audit/audit.service.ts';
import {
  type AgencyRow,
  findAgency,
  insertAgency,
  listAgencyRows,
  updateAgencyRow,
} from './agencies.repository.ts';

export function toAgency(row: AgencyRow): Agency {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    country: row.country,
    region: row.region,
    timeZone: row.timeZone,
    ori: row.ori,
    hotlines: row.hotlines,
    stockPolicy: { lowThreshold: row.stockLowThreshold, drawOnStore: row.stockDrawOnStore },
    tipRetentionDays: row.tipRetentionDays,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Refuses to act on another agency's records unless the actor's role spans agencies. The answer
 * is "not found", so that nobody learns what another agency holds.
 */
export function requireAgencyAccess(
  ctx: RequestContext,
  agencyId: string,
  entity = 'agency',
): void {
  if (agencyId !== ctx.actor.agencyId && !roleSpansAgencies(ctx.actor.role)) {
    throw new NotFoundError(entity);
  }
}

export async function getAgency(db: Executor, ctx: RequestContext, id: string): Promise<Agency> {
  requireAgencyAccess(ctx, id);
  return toAgency(findOrFail(await findAgency(db, id), 'agency', id));
}

export async function listAgencies(
  db: Executor,
  ctx: RequestContext,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Agency[]; nextCursor: string | null }> {
  if (!roleSpansAgencies(ctx.actor.role)) {
    const own = findOrFail(await findAgency(db, ctx.actor.agencyId), 'agency');
    return { items: [toAgency(own)], nextCursor: null };
  }
  const rows = await listAgencyRows(db, page.cursor, page.limit + 1);
  const items = rows.slice(0, page.limit);
  return {
    items: items.map(toAgency),
    nextCursor: rows.length > page.limit ? (items.at(-1)?.slug ?? null) : null,
  };
}

export async function createAgency(
  db: Database,
  ctx: RequestContext | null,
  input: CreateAgency,
): Promise<Agency> {
  try {
    return await inTransaction(db, async (tx) => {
      const row = await insertAgency(tx, input);
      const agency = toAgency(row);
      if (ctx) {
        await recordChange(tx, ctx, {
          action: 'agency.created',
          entityType: 'agency',
          entityId: row.id,
          agencyId: row.id,
          after: agency,
        });
      }
      return agency;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'agencies_slug_key')) {
      throw new ConflictError(`An agency with the slug ${input.slug} already exists.`, [
        { field: 'slug', message: 'is already taken' },
      ]);
    }
    throw error;
  }
}

export async function updateAgency(
  db: Database,
  ctx: RequestContext,
  id: string,
  changes: UpdateAgency,
): Promise<Agency> {
  requireAgencyAccess(ctx, id);
  return inTransaction(db, async (tx) => {
    const before = toAgency(findOrFail(await findAgency(tx, id), 'agency', id));
    const { stockPolicy, ...rest } = changes;
    const row = await updateAgencyRow(tx, id, {
      ...rest,
      ...(stockPolicy?.lowThreshold !== undefined
        ? { stockLowThreshold: stockPolicy.lowThreshold }
        : {}),
      ...(stockPolicy?.drawOnStore !== undefined
        ? { stockDrawOnStore: stockPolicy.drawOnStore }
        : {}),
    });
    const after = toAgency(findOrFail(row, 'agency', id));
    await recordChange(tx, ctx, {
      action: 'agency.updated',
      entityType: 'agency',
      entityId: id,
      agencyId: id,
      before,
      after,
    });
    return after;
  });
}
