import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import type {
  CreateInitiative,
  Initiative,
  InitiativeStatus,
  ReportNarrative,
  UpdateInitiative,
} from '#shared/contracts/initiatives.ts';
import { localDateOf } from '#shared/time.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, findOrFail, NotFoundError, ValidationError } from '../../errors.ts';
import { createOnce, fingerprint, withCreateRetry } from '../../records/idempotency.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { recordChange } from '../audit/audit.service.ts';
import { assertGoalMetrics } from '../metrics/metrics.service.ts';
import {
  existingPlaceIds,
  findInitiative,
  type InitiativeRow,
  insertInitiative,
  listInitiativeRows,
  listTargetPlaceIds,
  replaceTargetPlaces,
  updateInitiativeAtVersion,
} from './initiatives.repository.ts';

export function statusOf(row: InitiativeRow, today: string): InitiativeStatus {
  if (row.closedAt) return 'closed';
  return today < row.startsOn ? 'planned' : 'active';
}

function toInitiative(row: InitiativeRow, targetPlaceIds: string[], today: string): Initiative {
  return {
    id: row.id,
    agencyId: row.agencyId,
    name: row.name,
    description: row.description,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    goals: row.goals,
    targetPlaceIds,
    reportNarrative: row.reportNarrative,
    status: statusOf(row, today),
    closedAt: row.closedAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function todayFor(db: Executor, agencyId: string): Promise<string> {
  const agency = findOrFail(await findAgency(db, agencyId), 'agency', agencyId);
  return localDateOf(new Date(), agency.timeZone);
}

async function present(db: Executor, row: InitiativeRow): Promise<Initiative> {
  const targets = await listTargetPlaceIds(db, [row.id]);
  return toInitiative(row, targets.get(row.id) ?? [], await todayFor(db, row.agencyId));
}

/** The agency's live initiative with this id, or NotFound: another agency's does not exist. */
export async function requireInitiative(
  db: Executor,
  ctx: RequestContext,
  id: string,
): Promise<InitiativeRow> {
  const row = await findInitiative(db, id);
  if (!row || row.deletedAt || row.agencyId !== ctx.actor.agencyId)
    throw new NotFoundError('initiative', id);
  return row;
}

async function assertTargetsExist(
  db: Executor,
  agencyId: string,
  placeIds: string[],
): Promise<string[]> {
  const unique = [...new Set(placeIds)];
  const found = await existingPlaceIds(db, agencyId, unique);
  const errors = placeIds.flatMap((id, index) =>
    found.has(id)
      ? []
      : [{ field: `targetPlaceIds.${index}`, message: 'is not a place of this agency' }],
  );
  if (errors.length > 0) throw new ValidationError(errors);
  return unique;
}

export async function createInitiative(
  db: Database,
  ctx: RequestContext,
  input: CreateInitiative,
): Promise<{ initiative: Initiative; created: boolean }> {
  const hash = fingerprint(input);
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'initiative',
        agencyId: ctx.actor.agencyId,
        hash,
        find: () => findInitiative(tx, input.id),
        insert: async () => {
          await assertGoalMetrics(tx, ctx.actor.agencyId, input.goals);
          const targets = await assertTargetsExist(tx, ctx.actor.agencyId, input.targetPlaceIds);
          const row = await insertInitiative(tx, {
            id: input.id,
            agencyId: ctx.actor.agencyId,
            name: input.name,
            description: input.description,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            goals: input.goals as Record<string, number>,
            createdBy: ctx.actor.userId,
            requestHash: hash,
          });
          await replaceTargetPlaces(tx, row.id, targets);
          return row;
        },
      });
      const initiative = await present(tx, record);
      if (created) {
        await recordChange(tx, ctx, {
          action: 'initiative.created',
          entityType: 'initiative',
          entityId: initiative.id,
          agencyId: initiative.agencyId,
          after: initiative,
        });
      }
      return { initiative, created };
    }),
  );
}

export async function getInitiative(
  db: Executor,
  ctx: RequestContext,
  id: string,
): Promise<Initiative> {
  return present(db, await requireInitiative(db, ctx, id));
}

export async function listInitiatives(
  db: Executor,
  ctx: RequestContext,
  query: { limit: number; cursor?: string | undefined; status?: InitiativeStatus | undefined },
): Promise<{ items: Initiative[]; nextCursor: string | null }> {
  const today = await todayFor(db, ctx.actor.agencyId);
  const rows = await listInitiativeRows(db, {
    agencyId: ctx.actor.agencyId,
    status: query.status,
    today,
    before: parseCursor(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const targets = await listTargetPlaceIds(
    db,
    page.map((r) => r.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((row) => toInitiative(row, targets.get(row.id) ?? [], today)),
    nextCursor: rows.length > query.limit && last ? `${last.startsOn}|${last.id}` : null,
  };
}

function parseCursor(cursor: string | undefined): { startsOn: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})\|([0-9a-f-]{36})$/.exec(cursor);
  if (!match?.[1] || !match[2])
    throw ValidationError.field('cursor', 'is not a cursor this list gave');
  return { startsOn: match[1], id: match[2] };
}

export async function updateInitiative(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateInitiative,
): Promise<Initiative> {
  return inTransaction(db, async (tx) => {
    const current = await requireInitiative(tx, ctx, id);
    if (current.closedAt) {
      throw new ConflictError('The initiative is closed; reopen it before changing it.');
    }
    const startsOn = input.startsOn ?? current.startsOn;
    const endsOn = input.endsOn ?? current.endsOn;
    if (endsOn < startsOn) throw ValidationError.field('endsOn', 'must not be before startsOn');
    const before = await present(tx, current);
    const { version, targetPlaceIds, goals, ...changes } = input;
    if (goals) await assertGoalMetrics(tx, ctx.actor.agencyId, goals);
    const updated = await updateInitiativeAtVersion(tx, id, version, {
      ...changes,
      ...(goals ? { goals: goals as Record<string, number> } : {}),
    });
    if (!updated) throw staleVersion('initiative', current.version);
    if (targetPlaceIds) {
      await replaceTargetPlaces(
        tx,
        id,
        await assertTargetsExist(tx, ctx.actor.agencyId, targetPlaceIds),
      );
    }
    const after = await present(tx, updated);
    await recordChange(tx, ctx, {
      action: 'initiative.updated',
      entityType: 'initiative',
      entityId: id,
      agencyId: current.agencyId,
      before,
      after,
    });
    return after;
  });
}

/**
 * Sets the supervisor's account for the after-action report. Unlike the initiative's plan, it
 * may change after the initiative closes: the report is written then.
 */
export async function setReportNarrative(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: ReportNarrative,
): Promise<Initiative> {
  return inTransaction(db, async (tx) => {
    const current = await requireInitiative(tx, ctx, id);
    const updated = await updateInitiativeAtVersion(tx, id, input.version, {
      reportNarrative: input.narrative,
    });
    if (!updated) throw staleVersion('initiative', current.version);
    await recordChange(tx, ctx, {
      action: 'initiative.report_narrative_changed',
      entityType: 'initiative',
      entityId: id,
      agencyId: current.agencyId,
      before: { reportNarrative: current.reportNarrative },
      after: { reportNarrative: updated.reportNarrative },
    });
    return present(tx, updated);
  });
}

/** Closes an initiative (its records can no longer change) or reopens it. */
export async function setInitiativeClosed(
  db: Database,
  ctx: RequestContext,
  id: string,
  version: number,
  closed: boolean,
): Promise<Initiative> {
  return inTransaction(db, async (tx) => {
    const current = await requireInitiative(tx, ctx, id);
    if (Boolean(current.closedAt) === closed) {
      throw new ConflictError(`The initiative is already ${closed ? 'closed' : 'open'}.`);
    }
    const before = await present(tx, current);
    const updated = await updateInitiativeAtVersion(tx, id, version, {
      closedAt: closed ? new Date() : null,
      closedBy: closed ? ctx.actor.userId : null,
    });
    if (!updated) throw staleVersion('initiative', current.version);
    const after = await present(tx, updated);
    await recordChange(tx, ctx, {
      action: closed ? 'initiative.closed' : 'initiative.reopened',
      entityType: 'initiative',
      entityId: id,
      agencyId: current.agencyId,
      before,
      after,
    });
    return after;
  });
}

/**
 * The initiative a record names (null: none). A closed initiative takes no new or changed
 * records: naming one is refused. A record that names none counts toward the open initiative
 * whose dates hold its local date (placeRecord, and the import's SQL).
 */
export async function resolveNamedInitiative(
  db: Executor,
  agencyId: string,
  named: string | null,
): Promise<string | null> {
  if (named === null) return null;
  const row = await findInitiative(db, named);
  if (!row || row.deletedAt || row.agencyId !== agencyId) {
    throw ValidationError.field('initiativeId', 'is not an initiative of this agency');
  }
  assertInitiativeOpen(row);
  return row.id;
}

/** Refuses a change to a record of a closed initiative. */
export async function assertRecordInitiativeOpen(
  db: Executor,
  initiativeId: string | null,
): Promise<void> {
  if (!initiativeId) return;
  const row = await findInitiative(db, initiativeId);
  if (row) assertInitiativeOpen(row);
}

function assertInitiativeOpen(row: InitiativeRow): void {
  if (row.closedAt) throw closedInitiativeError(row.name);
}

/** The refusal of a change to a record of a closed initiative. */
export function closedInitiativeError(name: string): ConflictError {
  return new ConflictError(
    `The initiative "${name}" is closed: its records cannot change. A supervisor can reopen it.`,
  );
}

export function staleVersion(entity: string, current: number): ConflictError {
  return new ConflictError(
    `The ${entity} was changed since you read it (it is now at version ${current}); reload it and apply your change again.`,
    [{ field: 'version', message: `is stale: the current version is ${current}` }],
  );
}
