import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '#db/client.ts';
import {
  agencies,
  inspections,
  places,
  tipAdditions,
  tipNotes,
  tipReferrals,
  tips,
  users,
} from '#db/schema.ts';
import type { TipSource, TipStatus } from '#shared/contracts/tips.ts';
import { permissions } from '#shared/roles.ts';

export type TipRow = typeof tips.$inferSelect;

export async function insertTip(db: Executor, row: typeof tips.$inferInsert): Promise<TipRow> {
  const [created] = await db.insert(tips).values(row).returning();
  if (!created) throw new Error('insert into tips returned no row');
  return created;
}

/** A public tip by its receipt, in one agency (a receipt of another agency's is no receipt). */
export async function findTipByReceipt(
  db: Executor,
  agencyId: string,
  receiptCode: string,
): Promise<TipRow | undefined> {
  const [row] = await db
    .select()
    .from(tips)
    .where(and(eq(tips.agencyId, agencyId), eq(tips.receiptCode, receiptCode)));
  return row;
}

export async function insertTipAddition(
  db: Executor,
  row: typeof tipAdditions.$inferInsert,
): Promise<void> {
  await db.insert(tipAdditions).values(row);
}

const assignee = alias(users, 'assignee');

/** A tip's row with what its list entry shows of its place, assignee and inspection. */
function summaryColumns() {
  return {
    tip: tips,
    placeName: places.name,
    assignedToName: assignee.displayName,
    inspectionRedFlags: inspections.redFlags,
    inspectionAction: inspections.action,
  };
}

export type TipSummaryRow = {
  tip: TipRow;
  placeName: string | null;
  assignedToName: string | null;
  inspectionRedFlags: string[] | null;
  inspectionAction: string | null;
};

export interface TipListFilter {
  agencyId: string;
  status?: TipStatus | undefined;
  source?: TipSource | undefined;
  assignedTo?: string | undefined;
  /** Newest first: tips received before this position. */
  before?: { receivedAt: Date; id: string } | undefined;
  limit: number;
}

export function listTipRows(db: Executor, filter: TipListFilter): Promise<TipSummaryRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(tips.agencyId, filter.agencyId),
    filter.status ? eq(tips.status, filter.status) : undefined,
    filter.source ? eq(tips.source, filter.source) : undefined,
    filter.assignedTo ? eq(tips.assignedTo, filter.assignedTo) : undefined,
    filter.before
      ? sql`(${tips.receivedAt}, ${tips.id}) < (${filter.before.receivedAt.toISOString()}::timestamptz, ${filter.before.id}::uuid)`
      : undefined,
  ];
  return db
    .select(summaryColumns())
    .from(tips)
    .leftJoin(places, eq(places.id, tips.placeId))
    .leftJoin(assignee, eq(assignee.id, tips.assignedTo))
    .leftJoin(inspections, eq(inspections.id, tips.inspectionId))
    .where(and(...conditions))
    .orderBy(desc(tips.receivedAt), desc(tips.id))
    .limit(filter.limit);
}

export async function findTipSummary(db: Executor, id: string): Promise<TipSummaryRow | undefined> {
  const [row] = await db
    .select(summaryColumns())
    .from(tips)
    .leftJoin(places, eq(places.id, tips.placeId))
    .leftJoin(assignee, eq(assignee.id, tips.assignedTo))
    .leftJoin(inspections, eq(inspections.id, tips.inspectionId))
    .where(eq(tips.id, id));
  return row;
}

/** What an inspection's entry shows of the inspection. */
export async function findTipInspection(db: Executor, inspectionId: string) {
  const [row] = await db
    .select({
      officerName: users.displayName,
      occurredAt: inspections.occurredAt,
      usdotNumber: inspections.usdotNumber,
      reportNumber: inspections.reportNumber,
      notes: inspections.notes,
      deletedAt: inspections.deletedAt,
    })
    .from(inspections)
    .leftJoin(users, eq(users.id, inspections.officerId))
    .where(eq(inspections.id, inspectionId));
  return row;
}

export function listTipAdditions(db: Executor, tipId: string) {
  return db
    .select()
    .from(tipAdditions)
    .where(eq(tipAdditions.tipId, tipId))
    .orderBy(asc(tipAdditions.addedAt), asc(tipAdditions.id));
}

export function listTipNotes(db: Executor, tipId: string) {
  return db
    .select({ note: tipNotes, authorName: users.displayName })
    .from(tipNotes)
    .leftJoin(users, eq(users.id, tipNotes.authorId))
    .where(eq(tipNotes.tipId, tipId))
    .orderBy(asc(tipNotes.createdAt), asc(tipNotes.id));
}

export function listTipReferrals(db: Executor, tipId: string) {
  return db
    .select({ referral: tipReferrals, referredByName: users.displayName })
    .from(tipReferrals)
    .leftJoin(users, eq(users.id, tipReferrals.referredBy))
    .where(eq(tipReferrals.tipId, tipId))
    .orderBy(asc(tipReferrals.referredAt), asc(tipReferrals.id));
}

/** Applies `changes` only at `version`; nothing when the tip has moved on. */
export async function updateTipAtVersion(
  db: Executor,
  id: string,
  version: number,
  changes: Partial<typeof tips.$inferInsert>,
): Promise<TipRow | undefined> {
  const [row] = await db
    .update(tips)
    .set({ ...changes, version: sql`${tips.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(tips.id, id), eq(tips.version, version)))
    .returning();
  return row;
}

export async function insertTipNote(
  db: Executor,
  row: typeof tipNotes.$inferInsert,
): Promise<bigint> {
  const [created] = await db.insert(tipNotes).values(row).returning({ id: tipNotes.id });
  if (!created) throw new Error('insert into tip_notes returned no row');
  return created.id;
}

export async function insertTipReferral(
  db: Executor,
  row: typeof tipReferrals.$inferInsert,
): Promise<bigint> {
  const [created] = await db.insert(tipReferrals).values(row).returning({ id: tipReferrals.id });
  if (!created) throw new Error('insert into tip_referrals returned no row');
  return created.id;
}

/** Who triages tips: the roles that may change them (supervisors and investigators). */
const triagerRoles = permissions['tips:write'];

/** The agency's active supervisors and investigators, by name. */
export function listTipTriagers(db: Executor, agencyId: string) {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(
      and(
        eq(users.agencyId, agencyId),
        eq(users.active, true),
        inArray(users.role, [...triagerRoles]),
      ),
    )
    .orderBy(asc(users.displayName));
}

/** Whether the user is an active member of the agency who may triage its tips. */
export async function isTipTriager(db: Executor, agencyId: string, userId: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        eq(users.agencyId, agencyId),
        eq(users.active, true),
        inArray(users.role, [...triagerRoles]),
      ),
    );
  return row !== undefined;
}

/** Closed tips past their agency's retention, oldest first. */
export function listExpiredTips(db: Executor, now: Date) {
  return db
    .select({
      id: tips.id,
      agencyId: tips.agencyId,
      agencySlug: agencies.slug,
      source: tips.source,
      receiptCode: tips.receiptCode,
      closedAt: tips.closedAt,
      retentionDays: agencies.tipRetentionDays,
    })
    .from(tips)
    .innerJoin(agencies, eq(agencies.id, tips.agencyId))
    .where(
      and(
        eq(tips.status, 'closed'),
        sql`${tips.closedAt} < ${now.toISOString()}::timestamptz - make_interval(days => ${agencies.tipRetentionDays})`,
      ),
    )
    .orderBy(asc(tips.closedAt));
}

/** Deletes tips and, by cascade, their additions, notes and referrals. */
export async function deleteTips(db: Executor, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const deleted = await db.delete(tips).where(inArray(tips.id, ids)).returning({ id: tips.id });
  return deleted.length;
}

/**
 * A page of sealed values not under the current key, in one of the tables that hold them, in
 * the order of their ids, after `afterId` (the last of the page before).
 */
export async function sealedNotUnder(
  db: Executor,
  table: 'tips' | 'tip_additions' | 'tip_notes' | 'tip_referrals',
  keyId: string,
  afterId: string | undefined,
  limit: number,
): Promise<{ id: string; tipId: string; sealed: string }[]> {
  const prefix = `m1.${keyId}.%`;
  switch (table) {
    case 'tips': {
      const rows = await db
        .select({ id: tips.id, tipId: tips.id, sealed: tips.content })
        .from(tips)
        .where(
          and(
            sql`${tips.content} is not null and ${tips.content} not like ${prefix}`,
            afterId ? sql`${tips.id} > ${afterId}::uuid` : undefined,
          ),
        )
        .orderBy(asc(tips.id))
        .limit(limit);
      return rows.map((r) => ({ ...r, sealed: r.sealed ?? '' }));
    }
    case 'tip_additions': {
      const rows = await db
        .select({ id: tipAdditions.id, tipId: tipAdditions.tipId, sealed: tipAdditions.content })
        .from(tipAdditions)
        .where(
          and(
            sql`${tipAdditions.content} not like ${prefix}`,
            afterId ? sql`${tipAdditions.id} > ${afterId}::bigint` : undefined,
          ),
        )
        .orderBy(asc(tipAdditions.id))
        .limit(limit);
      return rows.map((r) => ({ ...r, id: String(r.id) }));
    }
    case 'tip_notes': {
      const rows = await db
        .select({ id: tipNotes.id, tipId: tipNotes.tipId, sealed: tipNotes.content })
        .from(tipNotes)
        .where(
          and(
            sql`${tipNotes.content} not like ${prefix}`,
            afterId ? sql`${tipNotes.id} > ${afterId}::bigint` : undefined,
          ),
        )
        .orderBy(asc(tipNotes.id))
        .limit(limit);
      return rows.map((r) => ({ ...r, id: String(r.id) }));
    }
    case 'tip_referrals': {
      const rows = await db
        .select({ id: tipReferrals.id, tipId: tipReferrals.tipId, sealed: tipReferrals.shared })
        .from(tipReferrals)
        .where(
          and(
            sql`${tipReferrals.shared} not like ${prefix}`,
            afterId ? sql`${tipReferrals.id} > ${afterId}::bigint` : undefined,
          ),
        )
        .orderBy(asc(tipReferrals.id))
        .limit(limit);
      return rows.map((r) => ({ ...r, id: String(r.id) }));
    }
  }
}

/** Writes a value sealed anew in place of the old one. */
export async function replaceSealed(
  db: Executor,
  table: 'tips' | 'tip_additions' | 'tip_notes' | 'tip_referrals',
  id: string,
  sealed: string,
): Promise<void> {
  switch (table) {
    case 'tips':
      await db.update(tips).set({ content: sealed }).where(eq(tips.id, id));
      return;
    case 'tip_additions':
      await db
        .update(tipAdditions)
        .set({ content: sealed })
        .where(eq(tipAdditions.id, BigInt(id)));
      return;
    case 'tip_notes':
      await db
        .update(tipNotes)
        .set({ content: sealed })
        .where(eq(tipNotes.id, BigInt(id)));
      return;
    case 'tip_referrals':
      await db
        .update(tipReferrals)
        .set({ shared: sealed })
        .where(eq(tipReferrals.id, BigInt(id)));
      return;
  }
}
