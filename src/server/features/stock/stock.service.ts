import { z } from 'zod';
import type { Database, Executor } from '#db/client.ts';
import type { FieldRecordKind, FieldRecordRef } from '#db/schema.ts';
import { inTransaction } from '#db/transaction.ts';
import type { MaterialLine } from '#shared/contracts/records.ts';
import type {
  CreateMaterial,
  CreateStockMovement,
  Material,
  Shortfall,
  StockHolding,
  StockMovement,
} from '#shared/contracts/stock.ts';
import { roleHasPermission } from '#shared/roles.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { createOnce, fingerprint, withCreateRetry } from '../../records/idempotency.ts';
import { recordChange } from '../audit/audit.service.ts';
import { findUser } from '../users/users.repository.ts';
import {
  findMaterial,
  findMaterials,
  findMovement,
  handOut,
  insertLedgerEntries,
  insertMaterial,
  insertMovement,
  listHoldingRows,
  listMaterialRows,
  listMovementRows,
  listOpenShortfalls,
  lockHolding,
  type MaterialRow,
  type MovementRow,
  netOfRecord,
  openShortfallsOfRecords,
  resolveShortfallRow,
  type ShortfallRow,
  voidShortfallsOfRecord,
} from './stock.repository.ts';

export function toMaterial(row: MaterialRow): Material {
  return {
    id: row.id,
    agencyId: row.agencyId,
    kind: row.kind,
    name: row.name,
    language: row.language,
    provider: row.provider,
    code: row.code,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toMovement(row: MovementRow): StockMovement {
  return {
    id: row.id,
    materialId: row.materialId,
    type: row.type,
    quantity: row.quantity,
    officerId: row.officerId,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

function toShortfall(row: ShortfallRow): Shortfall {
  return {
    id: String(row.id),
    materialId: row.materialId,
    officerId: row.officerId,
    recordId: row.recordId,
    quantity: row.quantity,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

export async function createMaterial(
  db: Database,
  ctx: RequestContext,
  input: CreateMaterial,
): Promise<{ material: Material; created: boolean }> {
  const hash = fingerprint(input);
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'material',
        agencyId: ctx.actor.agencyId,
        hash,
        find: () => findMaterial(tx, input.id),
        insert: () =>
          insertMaterial(tx, { ...input, agencyId: ctx.actor.agencyId, requestHash: hash }),
      });
      const material = toMaterial(record);
      if (created) {
        await recordChange(tx, ctx, {
          action: 'material.created',
          entityType: 'material',
          entityId: material.id,
          agencyId: material.agencyId,
          after: material,
        });
      }
      return { material, created };
    }),
  );
}

export async function listMaterials(db: Executor, ctx: RequestContext): Promise<Material[]> {
  return (await listMaterialRows(db, ctx.actor.agencyId)).map(toMaterial);
}

/**
 * The name of the officer a movement concerns. Stock is issued to active users only, as records
 * are logged for them; a deactivated officer's stock can still come back or be written off.
 */
async function requireOfficer(
  db: Executor,
  agencyId: string,
  officerId: string,
  field: string,
  options: { active: boolean },
): Promise<string> {
  const user = await findUser(db, officerId);
  if (!user || user.agencyId !== agencyId)
    throw ValidationError.field(field, 'is not a user of this agency');
  if (options.active && !user.active)
    throw ValidationError.field(field, 'is not an active user of this agency');
  return user.displayName;
}

function describeMaterial(material: MaterialRow): string {
  return `"${material.name}" (${material.language})`;
}

/**
 * Records a delivery, an issue to an officer, a return or a write-off. A movement that would
 * take more than its source holds is refused, naming the material and the shortfall.
 */
export async function createStockMovement(
  db: Database,
  ctx: RequestContext,
  input: CreateStockMovement,
): Promise<{ movement: StockMovement; created: boolean }> {
  const hash = fingerprint(input);
  const agencyId = ctx.actor.agencyId;
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'stock movement',
        agencyId,
        hash,
        find: () => findMovement(tx, input.id),
        insert: async () => {
          const material = await findMaterial(tx, input.materialId);
          if (!material || material.deletedAt || material.agencyId !== agencyId) {
            throw ValidationError.field('materialId', 'is not a material of this agency');
          }
          const officerName = input.officerId
            ? await requireOfficer(tx, agencyId, input.officerId, 'officerId', {
                active: input.type === 'issued',
              })
            : null;
          const officer = input.officerId;
          const legs: { holderId: string | null; delta: number }[] =
            input.type === 'received'
              ? [{ holderId: null, delta: input.quantity }]
              : input.type === 'issued'
                ? [
                    { holderId: null, delta: -input.quantity },
                    { holderId: officer, delta: input.quantity },
                  ]
                : input.type === 'returned'
                  ? [
                      { holderId: officer, delta: -input.quantity },
                      { holderId: null, delta: input.quantity },
                    ]
                  : [{ holderId: officer, delta: -input.quantity }];
          // Officer's holding before the store's (see lockHolding).
          const byLockOrder = [...legs].sort(
            (a, b) => Number(a.holderId === null) - Number(b.holderId === null),
          );
          const held = new Map<string | null, number>();
          for (const leg of byLockOrder)
            held.set(leg.holderId, await lockHolding(tx, material.id, leg.holderId));
          for (const leg of legs.filter((l) => l.delta < 0)) {
            const available = held.get(leg.holderId) ?? 0;
            if (available < input.quantity) {
              const source = leg.holderId === null ? 'the agency store' : `${officerName}'s stock`;
              const short = input.quantity - available;
              throw new ConflictError(
                `Not enough ${describeMaterial(material)} in ${source}: ${available} on hand, ${input.quantity} asked, ${short} short.`,
                [{ field: 'quantity', message: `is ${short} more than the ${available} on hand` }],
              );
            }
          }
          const movement = await insertMovement(tx, {
            id: input.id,
            agencyId,
            materialId: material.id,
            type: input.type,
            quantity: input.quantity,
            officerId: input.officerId,
            note: input.note,
            createdBy: ctx.actor.userId,
            requestHash: hash,
          });
          await insertLedgerEntries(
            tx,
            legs.map((leg) => ({
              agencyId,
              materialId: material.id,
              holderId: leg.holderId,
              delta: leg.delta,
              type: input.type,
              movementId: movement.id,
            })),
          );
          return movement;
        },
      });
      const movement = toMovement(record);
      if (created) {
        await recordChange(tx, ctx, {
          action: `stock.${input.type}`,
          entityType: 'stock_movement',
          entityId: movement.id,
          agencyId,
          after: movement,
        });
      }
      return { movement, created };
    }),
  );
}

/** The agency's stock movements, newest first; an officer sees those of their own stock only. */
export async function listMovements(
  db: Executor,
  ctx: RequestContext,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: StockMovement[]; nextCursor: string | null }> {
  if (query.cursor !== undefined && !z.uuid().safeParse(query.cursor).success) {
    throw ValidationError.field('cursor', 'is not a cursor this list gave');
  }
  const rows = await listMovementRows(db, ctx.actor.agencyId, {
    officerId: ownOnlyUnlessSquad(ctx),
    beforeId: query.cursor,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toMovement),
    nextCursor: rows.length > query.limit && last ? last.id : null,
  };
}

/** The officer whose figures alone the actor sees, or undefined when they see everyone's. */
function ownOnlyUnlessSquad(ctx: RequestContext): string | undefined {
  return roleHasPermission(ctx.actor.role, 'squad:read') ? undefined : ctx.actor.userId;
}

/** Stock on hand per material and holder; an officer sees their own only. */
export async function listHoldings(
  db: Executor,
  ctx: RequestContext,
  query: { holderId?: string | undefined; materialId?: string | undefined },
): Promise<StockHolding[]> {
  const holderId = ownOnlyUnlessSquad(ctx) ?? query.holderId;
  const rows = await listHoldingRows(db, ctx.actor.agencyId, {
    holderId,
    materialId: query.materialId,
  });
  return rows.map((r) => ({ ...r, onHand: Number(r.onHand) }));
}

/** Checks a record's material lines: each must name a live material of the agency. */
export async function assertMaterialsOfAgency(
  db: Executor,
  agencyId: string,
  lines: MaterialLine[],
): Promise<MaterialRow[]> {
  const byId = new Map(
    (
      await findMaterials(
        db,
        lines.map((l) => l.materialId),
      )
    ).map((m) => [m.id, m]),
  );
  const found = lines.map((line) => byId.get(line.materialId));
  const errors = found.flatMap((material, index) =>
    material && !material.deletedAt && material.agencyId === agencyId
      ? []
      : [{ field: `materials.${index}.materialId`, message: 'is not a material of this agency' }],
  );
  if (errors.length > 0) throw new ValidationError(errors);
  return found as MaterialRow[];
}

/**
 * Posts the material a record hands out, in the caller's transaction: from the officer's stock
 * first, then the store's when the agency's policy lets it; what both lack is accepted and
 * listed as a shortfall for a supervisor (handOutSteps). Answers the shortfalls.
 */
export function postHandedOut(
  tx: Executor,
  record: {
    agencyId: string;
    /** None: a record without an officer takes from the store alone. */
    officerId: string | null;
    recordId: string;
    occurredAt: Date;
    lines: MaterialLine[];
  },
): Promise<MaterialLine[]> {
  return handOut(tx, record);
}

/**
 * Undoes what a record posted (before an edit re-posts it, or when it is deleted): the entries
 * of the record's own agency, for the record named whole (id, agency, kind).
 */
export async function reverseHandedOut(tx: Executor, record: FieldRecordRef): Promise<void> {
  const net = await netOfRecord(tx, record);
  await insertLedgerEntries(
    tx,
    net.map((n) => ({
      agencyId: record.agencyId,
      materialId: n.materialId,
      holderId: n.holderId,
      delta: -n.net,
      type: 'reversal' as const,
      recordId: record.id,
    })),
  );
  await voidShortfallsOfRecord(tx, record);
}

/** Open shortfalls of records of one kind, by record, each scoped to its own agency. */
export async function shortfallsOfRecords(
  db: Executor,
  kind: FieldRecordKind,
  records: { id: string; agencyId: string }[],
) {
  const byRecord = new Map<string, { materialId: string; quantity: number }[]>();
  for (const row of await openShortfallsOfRecords(db, kind, records)) {
    const list = byRecord.get(row.recordId) ?? [];
    list.push({ materialId: row.materialId, quantity: row.quantity });
    byRecord.set(row.recordId, list);
  }
  return byRecord;
}

export async function listShortfalls(db: Executor, ctx: RequestContext): Promise<Shortfall[]> {
  return (await listOpenShortfalls(db, ctx.actor.agencyId)).map(toShortfall);
}

/** A supervisor marks a shortfall reconciled (the stock was counted, or written off). */
export async function resolveShortfall(
  db: Database,
  ctx: RequestContext,
  id: string,
): Promise<Shortfall> {
  if (!/^\d{1,19}$/.test(id)) throw new NotFoundError('shortfall', id);
  return inTransaction(db, async (tx) => {
    const row = await resolveShortfallRow(tx, ctx.actor.agencyId, BigInt(id), ctx.actor.userId);
    if (!row) throw new NotFoundError('open shortfall', id);
    const shortfall = toShortfall(row);
    await recordChange(tx, ctx, {
      action: 'stock.shortfall_resolved',
      entityType: 'stock_shortfall',
      entityId: id,
      agencyId: ctx.actor.agencyId,
      after: shortfall,
    });
    return shortfall;
  });
}
