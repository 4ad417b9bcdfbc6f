import crypto from 'node:crypto';
import type { Database, Executor } from '#db/client.ts';
import { isUniqueViolation } from '#db/errors.ts';
import { inTransaction } from '#db/transaction.ts';
import {
  type NewReferral,
  type NewTip,
  type Tip,
  type TipContent,
  type TipSummary,
  tipContentSchema,
  type UpdateTip,
} from '#shared/contracts/tips.ts';
import type { Origin, RequestContext } from '../../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Secrets } from '../../secrets.ts';
import type { AgencyRow } from '../agencies/agencies.repository.ts';
import { recordAudit, recordChange } from '../audit/audit.service.ts';
import {
  deleteTips,
  findTipByReceipt,
  findTipInspection,
  findTipSummary,
  insertTip,
  insertTipAddition,
  insertTipNote,
  insertTipReferral,
  isTipTriager,
  listExpiredTips,
  listTipAdditions,
  listTipNotes,
  listTipReferrals,
  listTipRows,
  listTipTriagers,
  replaceSealed,
  sealedNotUnder,
  type TipRow,
  type TipSummaryRow,
  updateTipAtVersion,
} from './tips.repository.ts';

// Receipts and secrets ---------------------------------------------------------------------------

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  // 256 is a multiple of 32: every character is equally likely.
  return [...crypto.randomBytes(length)].map((byte) => codeAlphabet[byte & 31]).join('');
}

function grouped(code: string, size: number): string {
  return code.match(new RegExp(`.{1,${size}}`, 'g'))?.join('-') ?? code;
}

/** A code as typed by a person: case, spaces and dashes aside, O read as 0 and I or L as 1. */
export function normaliseCode(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
}

/** The receipt a sender is given: 12 characters (60 bits), shown as XXXX-XXXX-XXXX. */
const receiptLength = 12;
/** The secret that goes with it: 20 characters (100 bits), shown in groups of five. */
const secretLength = 20;

function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(normaliseCode(secret)).digest('hex');
}

function secretMatches(stored: string | null, given: string): boolean {
  if (!stored) return false;
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(hashSecret(given), 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The context a sealed value is bound to: a value moved to another tip or column won't open. */
const sealContext = (tipId: string, part: 'content' | 'addition' | 'note' | 'referral') =>
  `tip:${tipId}:${part}`;

/** The origin of what the public does: no address, no browser, only the request's id. */
const anonymous = (requestId: string): Origin => ({ ip: null, userAgent: null, requestId });

// The public side --------------------------------------------------------------------------------

export interface TipReceipt {
  receiptCode: string;
  secret: string;
  receivedAt: Date;
}

/**
 * Stores a tip from an agency's public page: what it says sealed, its receipt code in the clear
 * and its secret as a hash only. Nothing of the sender's connection is kept.
 */
export async function submitPublicTip(
  db: Database,
  secrets: Secrets,
  agency: AgencyRow,
  tip: NewTip,
  requestId: string,
): Promise<TipReceipt> {
  const secret = randomCode(secretLength);
  for (let attempt = 0; ; attempt++) {
    const id = crypto.randomUUID();
    const receiptCode = randomCode(receiptLength);
    try {
      const row = await inTransaction(db, async (tx) => {
        const created = await insertTip(tx, {
          id,
          agencyId: agency.id,
          source: 'public',
          receiptCode,
          secretHash: hashSecret(secret),
          language: tip.language,
          redFlags: tip.redFlags,
          placeId: tip.placeId,
          seenOn: tip.seenOn,
          seenTime: tip.seenTime,
          content: secrets.seal(JSON.stringify(tip.content), sealContext(id, 'content')),
        });
        await recordAudit(tx, null, anonymous(requestId), {
          action: 'tip.received',
          entityType: 'tip',
          entityId: id,
          agencyId: agency.id,
          after: { source: 'public', language: tip.language, redFlags: tip.redFlags },
        });
        return created;
      });
      return {
        receiptCode: grouped(receiptCode, 4),
        secret: grouped(secret, 5),
        receivedAt: row.receivedAt,
      };
    } catch (error) {
      // Two receipts alike in 2^60 happen, in time; another draw settles it.
      if (isUniqueViolation(error) && attempt < 3) continue;
      throw error;
    }
  }
}

/** The public tip a receipt and its secret name, in the agency; else not found. */
export async function findTipForSender(
  db: Executor,
  agency: AgencyRow,
  receipt: string,
  secret: string,
): Promise<TipRow> {
  const tip = await findTipByReceipt(db, agency.id, normaliseCode(receipt));
  // The same answer whether the receipt or the secret is wrong: a guess learns nothing.
  if (!tip || !secretMatches(tip.secretHash, secret)) throw new NotFoundError('tip');
  return tip;
}

/** Adds what the sender wrote later to their tip, sealed. */
export async function addToTipAsSender(
  db: Database,
  secrets: Secrets,
  agency: AgencyRow,
  input: { receipt: string; secret: string; text: string },
  requestId: string,
): Promise<TipRow> {
  const tip = await findTipForSender(db, agency, input.receipt, input.secret);
  await inTransaction(db, async (tx) => {
    await insertTipAddition(tx, {
      tipId: tip.id,
      content: secrets.seal(input.text, sealContext(tip.id, 'addition')),
    });
    await recordAudit(tx, null, anonymous(requestId), {
      action: 'tip.added_to',
      entityType: 'tip',
      entityId: tip.id,
      agencyId: agency.id,
    });
  });
  return tip;
}

// The queue --------------------------------------------------------------------------------------

function presentSummary(row: TipSummaryRow): TipSummary {
  const { tip } = row;
  return {
    id: tip.id,
    agencyId: tip.agencyId,
    receiptCode: tip.receiptCode && grouped(tip.receiptCode, 4),
    source: tip.source,
    status: tip.status,
    outcome: tip.outcome,
    language: tip.language,
    redFlags: tip.source === 'inspection' ? (row.inspectionRedFlags ?? []) : tip.redFlags,
    placeId: tip.placeId,
    placeName: row.placeName,
    seenOn: tip.seenOn,
    seenTime: tip.seenTime,
    inspectionId: tip.inspectionId,
    action: row.inspectionAction,
    assignedTo: tip.assignedTo,
    assignedToName: row.assignedToName,
    receivedAt: tip.receivedAt.toISOString(),
    updatedAt: tip.updatedAt.toISOString(),
    closedAt: tip.closedAt?.toISOString() ?? null,
    version: tip.version,
  };
}

/** The agency's tips, newest first: what each is about, never what it says. */
export async function listTips(
  db: Executor,
  ctx: RequestContext,
  query: {
    status?: Tip['status'] | undefined;
    source?: Tip['source'] | undefined;
    assignedTo?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<{ items: TipSummary[]; nextCursor: string | null }> {
  let before: { receivedAt: Date; id: string } | undefined;
  if (query.cursor) {
    const [at, id] = query.cursor.split('|');
    const receivedAt = new Date(at ?? '');
    if (!id || Number.isNaN(receivedAt.getTime()))
      throw ValidationError.field('cursor', 'is not a cursor this list gave');
    before = { receivedAt, id };
  }
  const rows = await listTipRows(db, {
    agencyId: ctx.actor.agencyId,
    status: query.status,
    source: query.source,
    assignedTo: query.assignedTo,
    before,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit).map(presentSummary);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: rows.length > query.limit && last ? `${last.receivedAt}|${last.id}` : null,
  };
}

/** Who a tip may be assigned to: the agency's active supervisors and investigators. */
export function listTriagers(db: Executor, ctx: RequestContext) {
  return listTipTriagers(db, ctx.actor.agencyId);
}

/** The agency's tip, or not found (another agency's tip is, to this caller, no tip at all). */
async function requireTip(db: Executor, ctx: RequestContext, id: string): Promise<TipSummaryRow> {
  const row = await findTipSummary(db, id);
  if (!row || row.tip.agencyId !== ctx.actor.agencyId) throw new NotFoundError('tip', id);
  return row;
}

function openContent(secrets: Secrets, tip: TipRow): TipContent | null {
  if (!tip.content) return null;
  return tipContentSchema.parse(
    JSON.parse(secrets.open(tip.content, sealContext(tip.id, 'content'))),
  );
}

/** A tip whole, opened: every reading is in the audit log, before anything is shown. */
export async function readTip(
  db: Database,
  secrets: Secrets,
  ctx: RequestContext,
  id: string,
  purpose: 'viewed' | 'exported' = 'viewed',
): Promise<Tip> {
  const row = await requireTip(db, ctx, id);
  await recordChange(db, ctx, {
    action: `tip.${purpose}`,
    entityType: 'tip',
    entityId: id,
    agencyId: ctx.actor.agencyId,
  });
  return presentTip(db, secrets, row);
}

async function presentTip(db: Executor, secrets: Secrets, row: TipSummaryRow): Promise<Tip> {
  const { tip } = row;
  const [additions, notes, referrals, inspection] = await Promise.all([
    listTipAdditions(db, tip.id),
    listTipNotes(db, tip.id),
    listTipReferrals(db, tip.id),
    tip.inspectionId ? findTipInspection(db, tip.inspectionId) : Promise.resolve(undefined),
  ]);
  return {
    ...presentSummary(row),
    content: openContent(secrets, tip),
    additions: additions.map((a) => ({
      id: String(a.id),
      text: secrets.open(a.content, sealContext(tip.id, 'addition')),
      addedAt: a.addedAt.toISOString(),
    })),
    notes: notes.map(({ note, authorName }) => ({
      id: String(note.id),
      text: secrets.open(note.content, sealContext(tip.id, 'note')),
      authorId: note.authorId,
      authorName,
      createdAt: note.createdAt.toISOString(),
    })),
    referrals: referrals.map(({ referral, referredByName }) => ({
      id: String(referral.id),
      recipient: referral.recipient,
      recipientName: referral.recipientName,
      shared: secrets.open(referral.shared, sealContext(tip.id, 'referral')),
      referredAt: referral.referredAt.toISOString(),
      referredBy: referral.referredBy,
      referredByName,
    })),
    inspection: inspection
      ? {
          officerName: inspection.officerName,
          occurredAt: inspection.occurredAt.toISOString(),
          usdotNumber: inspection.usdotNumber,
          reportNumber: inspection.reportNumber,
          notes: inspection.notes,
          deleted: inspection.deletedAt !== null,
        }
      : null,
  };
}

const triage = (tip: Pick<TipRow, 'status' | 'outcome' | 'assignedTo'>) => ({
  status: tip.status,
  outcome: tip.outcome,
  assignedTo: tip.assignedTo,
});

/**
 * Moves a tip through the queue at the version the caller read: its state (closing says how it
 * ended; reopening clears that), and who has it. Audited, without what the tip says.
 */
export async function updateTip(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateTip,
): Promise<TipSummary> {
  return inTransaction(db, async (tx) => {
    const { tip } = await requireTip(tx, ctx, id);
    if (input.assignedTo && !(await isTipTriager(tx, ctx.actor.agencyId, input.assignedTo))) {
      throw ValidationError.field(
        'assignedTo',
        'is not an active supervisor or investigator of this agency',
      );
    }
    const status = input.status ?? tip.status;
    if (input.outcome && status !== 'closed') {
      throw ValidationError.field('outcome', 'is said only when the tip is closed');
    }
    if (input.outcome === null && status === 'closed') {
      // Not a silent keep of the old outcome: a closed tip always says how it ended.
      throw ValidationError.field('outcome', 'cannot be cleared while the tip is closed');
    }
    const changes = {
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.assignedTo !== undefined ? { assignedTo: input.assignedTo } : {}),
      ...(status === 'closed'
        ? {
            outcome: input.outcome ?? tip.outcome,
            closedAt: tip.closedAt ?? new Date(),
          }
        : { outcome: null, closedAt: null }),
    };
    const updated = await updateTipAtVersion(tx, id, input.version, changes);
    if (!updated) {
      throw new ConflictError('The tip changed since you read it. Read it again and retry.', [
        { field: 'version', message: `is not the current version (${tip.version})` },
      ]);
    }
    await recordChange(tx, ctx, {
      action: 'tip.updated',
      entityType: 'tip',
      entityId: id,
      agencyId: ctx.actor.agencyId,
      before: triage(tip),
      after: triage(updated),
    });
    return presentSummary((await findTipSummary(tx, id)) as TipSummaryRow);
  });
}

/** Adds an internal note, sealed; the audit entry says a note was added, not what it says. */
export async function addTipNote(
  db: Database,
  secrets: Secrets,
  ctx: RequestContext,
  id: string,
  text: string,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await requireTip(tx, ctx, id);
    const noteId = await insertTipNote(tx, {
      tipId: id,
      authorId: ctx.actor.userId,
      content: secrets.seal(text, sealContext(id, 'note')),
    });
    await recordChange(tx, ctx, {
      action: 'tip.note_added',
      entityType: 'tip',
      entityId: id,
      agencyId: ctx.actor.agencyId,
      after: { noteId: String(noteId) },
    });
  });
}

/**
 * Records that the tip was passed on: to whom, what was shared (sealed), when and by whom. The
 * tip is then `referred`. Milepost sends nothing itself: this is the record of what a person did.
 */
export async function referTip(
  db: Database,
  secrets: Secrets,
  ctx: RequestContext,
  id: string,
  input: NewReferral,
): Promise<TipSummary> {
  return inTransaction(db, async (tx) => {
    const { tip } = await requireTip(tx, ctx, id);
    if (tip.status === 'closed') {
      throw new ConflictError('The tip is closed: reopen it before recording a referral.');
    }
    const referredAt = input.referredAt ? new Date(input.referredAt) : new Date();
    const referralId = await insertTipReferral(tx, {
      tipId: id,
      recipient: input.recipient,
      recipientName: input.recipientName,
      shared: secrets.seal(input.shared, sealContext(id, 'referral')),
      referredAt,
      referredBy: ctx.actor.userId,
    });
    const updated =
      tip.status === 'referred'
        ? tip
        : await updateTipAtVersion(tx, id, tip.version, { status: 'referred' });
    if (!updated) throw new ConflictError('The tip changed meanwhile. Retry.');
    await recordChange(tx, ctx, {
      action: 'tip.referred',
      entityType: 'tip',
      entityId: id,
      agencyId: ctx.actor.agencyId,
      before: triage(tip),
      after: {
        ...triage(updated),
        referralId: String(referralId),
        recipient: input.recipient,
        recipientName: input.recipientName,
        referredAt: referredAt.toISOString(),
      },
    });
    return presentSummary((await findTipSummary(tx, id)) as TipSummaryRow);
  });
}

// Retention and keys -----------------------------------------------------------------------------

export interface PurgeReport {
  tips: {
    id: string;
    agency: string;
    source: string;
    receiptCode: string | null;
    closedAt: string;
    retentionDays: number;
  }[];
  purged: number;
}

/**
 * Closed tips past their agency's retention (`tip_retention_days`) are deleted, with their
 * additions, notes and referrals. Each agency's purge is audited with the tips' ids, never what
 * they said. With `dryRun`, lists what would go and deletes nothing.
 */
export async function purgeClosedTips(
  db: Database,
  options: { dryRun: boolean; now?: Date; origin: Origin },
): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const expired = await listExpiredTips(tx, now);
    const report: PurgeReport = {
      tips: expired.map((t) => ({
        id: t.id,
        agency: t.agencySlug,
        source: t.source,
        receiptCode: t.receiptCode && grouped(t.receiptCode, 4),
        closedAt: t.closedAt?.toISOString() ?? '',
        retentionDays: t.retentionDays,
      })),
      purged: 0,
    };
    if (options.dryRun || expired.length === 0) return report;
    report.purged = await deleteTips(
      tx,
      expired.map((t) => t.id),
    );
    const byAgency = new Map<string, typeof expired>();
    for (const t of expired) byAgency.set(t.agencyId, [...(byAgency.get(t.agencyId) ?? []), t]);
    for (const [agencyId, purged] of byAgency) {
      await recordAudit(tx, null, options.origin, {
        action: 'tips.purged',
        entityType: 'tip',
        agencyId,
        after: {
          count: purged.length,
          ids: purged.map((t) => t.id),
          retentionDays: purged[0]?.retentionDays,
        },
      });
    }
    return report;
  });
}

const sealedTables = ['tips', 'tip_additions', 'tip_notes', 'tip_referrals'] as const;
const sealedPart = {
  tips: 'content',
  tip_additions: 'addition',
  tip_notes: 'note',
  tip_referrals: 'referral',
} as const;

/**
 * Seals anew, under the current key, every value sealed under another key of the ring: after
 * it, the old keys may leave the ring. One transaction: a failure leaves every value as it was.
 * A value no key of the ring opens (altered, or sealed under a key since lost) is left as it is
 * and named in the answer: no rotation makes it readable again, and none should stop on it.
 */
export async function resealTips(
  db: Database,
  secrets: Secrets,
  origin: Origin,
): Promise<{ resealed: number; unopenable: { table: string; id: string }[] }> {
  return inTransaction(db, async (tx) => {
    let resealed = 0;
    const unopenable: { table: string; id: string }[] = [];
    for (const table of sealedTables) {
      let after: string | undefined;
      for (;;) {
        const page = await sealedNotUnder(tx, table, secrets.currentKeyId, after, 500);
        for (const value of page) {
          const context = sealContext(value.tipId, sealedPart[table]);
          let text: string;
          try {
            text = secrets.open(value.sealed, context);
          } catch {
            unopenable.push({ table, id: value.id });
            continue;
          }
          await replaceSealed(tx, table, value.id, secrets.seal(text, context));
          resealed += 1;
        }
        after = page.at(-1)?.id;
        if (page.length < 500) break;
      }
    }
    await recordAudit(tx, null, origin, {
      action: 'tips.resealed',
      entityType: 'tip',
      agencyId: null,
      after: { resealed, unopenable, keyId: secrets.currentKeyId },
    });
    return { resealed, unopenable };
  });
}
