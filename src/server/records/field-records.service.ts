import { Readable } from 'node:stream';
import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import type { DeleteRecord } from '#shared/contracts/common.ts';
import type { MaterialLine, RecordFilter } from '#shared/contracts/records.ts';
import { roleManagesRecords } from '#shared/roles.ts';
import { localDateOf } from '#shared/time.ts';
import type { RequestContext } from '../context.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  findOrFail,
  NotFoundError,
  ValidationError,
} from '../errors.ts';
import { recordChange } from '../features/audit/audit.service.ts';
import {
  assertRecordInitiativeOpen,
  closedInitiativeError,
  resolveNamedInitiative,
  staleVersion,
} from '../features/initiatives/initiatives.service.ts';
import {
  assertMaterialsOfAgency,
  postHandedOut,
  reverseHandedOut,
  shortfallsOfRecords,
} from '../features/stock/stock.service.ts';
import { findUser } from '../features/users/users.repository.ts';
import type { CsvSqlColumn } from './csv-sql.ts';
import {
  csvHeader,
  csvPage,
  type ExportKey,
  exportPageEnd,
  findRecordHolder,
  findRecordRow,
  insertNewRecord,
  listRecordRows,
  materialLinesOf,
  type NewRecordChecks,
  type OwnColumns,
  placementFacts,
  type RecordTable,
  replaceRecordMaterials,
  updateRecordAtVersion,
} from './field-records.repository.ts';
import { fingerprint, idTakenError, replayOf } from './idempotency.ts';

/** What every create payload of a field record carries. */
interface RecordInput {
  id: string;
  occurredAt: string;
  placeId: string | null;
  notes: string;
  officerId?: string | undefined;
  initiativeId?: string | null | undefined;
  materials?: MaterialLine[];
}

type Row<T extends RecordTable> = T['$inferSelect'];

/**
 * What an edit of a field record may carry, beyond the kind's own fields: each field it leaves
 * out stays as it is.
 */
export interface RecordChanges {
  version: number;
  occurredAt?: string | undefined;
  placeId?: string | null | undefined;
  notes?: string | undefined;
  officerId?: string | undefined;
  initiativeId?: string | null | undefined;
  materials?: MaterialLine[] | undefined;
}

/** How one kind of field record (inspection, outreach visit, activity) differs from the rest. */
export interface RecordKind<
  T extends RecordTable,
  Create extends RecordInput,
  Out,
  Update extends RecordChanges = RecordChanges & Partial<Create>,
> {
  entity: 'inspection' | 'outreach_visit' | 'activity';
  label: string;
  table: T;
  /** The kind's own columns that an edit changes: those of the fields it carries, no others. */
  columnsOf(changes: Omit<Update, keyof RecordChanges>): Partial<T['$inferInsert']>;
  /** Every one of the kind's own columns of a new record, from its create payload. */
  newColumns(input: Create): OwnColumns<T>;
  /** Checks of the kind's own fields that need the database, before a create or an edit. */
  check?(
    tx: Executor,
    agencyId: string,
    input: Partial<Create> | Omit<Update, keyof RecordChanges>,
  ): Promise<void>;
  present(row: Row<T>, extras: { materials: MaterialLine[]; shortfalls: MaterialLine[] }): Out;
  /** The kind's own columns of its CSV export, written by the database (`csv-sql.ts`). */
  csvColumns: CsvSqlColumn[];
}

/** The columns that place a record: who it belongs to, when and where, and its initiative. */
interface Placement {
  officerId?: string;
  occurredAt?: Date;
  localDate?: string;
  placeId?: string | null;
  initiativeId?: string | null;
}

/**
 * What an edit changes of a record's placement, checked: only what it sends and what that moves.
 * An officer changes their own records only; a supervisor may give one to an officer of the
 * agency. A record moved in time gets the local date of its new time (in the agency's time zone
 * of today), and keeps its initiative while that still holds the date; a record not moved keeps
 * its local date and initiative, even when the agency's time zone has changed since.
 */
async function placementChanges(
  tx: Executor,
  ctx: RequestContext,
  current: Row<RecordTable>,
  sent: Pick<RecordChanges, 'occurredAt' | 'officerId' | 'placeId' | 'initiativeId'>,
): Promise<Placement> {
  const agencyId = ctx.actor.agencyId;
  const changes: Placement = {};
  const occurredAt = sent.occurredAt === undefined ? undefined : new Date(sent.occurredAt);
  const moved = occurredAt !== undefined && occurredAt.getTime() !== current.occurredAt.getTime();
  const placeChanged = sent.placeId !== undefined && sent.placeId !== current.placeId;
  if (sent.officerId !== undefined && sent.officerId !== current.officerId) {
    if (!roleManagesRecords(ctx.actor.role)) {
      throw new ForbiddenError('You may log records for yourself only.', [
        { field: 'officerId', message: 'must be yourself' },
      ]);
    }
    const officer = await findUser(tx, sent.officerId);
    if (!officer || officer.agencyId !== agencyId || !officer.active) {
      throw ValidationError.field('officerId', 'is not an active user of this agency');
    }
    changes.officerId = sent.officerId;
  }
  if (moved || placeChanged) {
    const facts = findOrFail(
      await placementFacts(tx, {
        agencyId,
        utcDate: (occurredAt ?? current.occurredAt).toISOString().slice(0, 10),
        placeId: placeChanged ? (sent.placeId ?? null) : null,
        materialIds: [],
      }),
      'agency',
      agencyId,
    );
    if (!facts.placeOk) throw ValidationError.field('placeId', 'is not a place of this agency');
    if (placeChanged) changes.placeId = sent.placeId ?? null;
    if (moved) {
      changes.occurredAt = occurredAt;
      changes.localDate = localDateOf(occurredAt, facts.timeZone);
      const holds = (i: { startsOn: string; endsOn: string }) =>
        i.startsOn <= (changes.localDate as string) && (changes.localDate as string) <= i.endsOn;
      const own = facts.initiatives.find((i) => i.id === current.initiativeId);
      if (sent.initiativeId === undefined && !(own && holds(own))) {
        // The open initiative whose dates hold the new local date, the latest-starting first.
        changes.initiativeId = facts.initiatives.find(holds)?.id ?? null;
      }
    }
  }
  if (sent.initiativeId !== undefined && sent.initiativeId !== current.initiativeId) {
    changes.initiativeId = await resolveNamedInitiative(tx, agencyId, sent.initiativeId);
  }
  if (changes.initiativeId === current.initiativeId) delete changes.initiativeId;
  return changes;
}

/** Whether two sets of material lines hand out the same, whatever their order. */
function sameLines(a: MaterialLine[], b: MaterialLine[]): boolean {
  const key = (lines: MaterialLine[]) =>
    lines
      .map((line) => `${line.materialId}:${line.quantity}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

async function presentRows<T extends RecordTable, C extends RecordInput, O>(
  db: Executor,
  kind: Pick<RecordKind<T, C, O>, 'present' | 'entity'>,
  rows: Row<T>[],
): Promise<O[]> {
  // Each record's lines and shortfalls, as its own agency's and its kind's (the registry's).
  const records = rows.map((r) => ({ id: r.id, agencyId: r.agencyId }));
  const [lines, shortfalls] = await Promise.all([
    materialLinesOf(db, kind.entity, records),
    shortfallsOfRecords(db, kind.entity, records),
  ]);
  return rows.map((row) =>
    kind.present(row, {
      materials: lines.get(row.id) ?? [],
      shortfalls: shortfalls.get(row.id) ?? [],
    }),
  );
}

async function presentRow<T extends RecordTable, C extends RecordInput, O>(
  db: Executor,
  kind: Pick<RecordKind<T, C, O>, 'present' | 'entity'>,
  row: Row<T>,
) {
  const [presented] = await presentRows(db, kind, [row]);
  return presented as O;
}

/**
 * Creates a field record under its client-generated id, with its material lines, the stock they
 * hand out and its audit entry, in one statement (insertNewRecord). A replay returns the stored
 * record and writes nothing, even when its checks would now refuse it (its initiative closed
 * since, say); the same id with other content, or held by another agency or another kind of
 * record, is a conflict that names `id` and writes nothing.
 */
export async function createRecord<T extends RecordTable, C extends RecordInput, O>(
  db: Database,
  ctx: RequestContext,
  kind: RecordKind<T, C, O>,
  input: C,
): Promise<{ record: O; created: boolean }> {
  const hash = fingerprint(input);
  const agencyId = ctx.actor.agencyId;
  const replay = async () => {
    const holder = await findRecordHolder(db, kind.table, input.id);
    if (!holder) return undefined;
    if (holder.kind !== kind.entity || !holder.row) throw idTakenError(kind.label);
    const stored = holder.row;
    const earlier = await replayOf({
      entity: kind.label,
      agencyId,
      hash,
      find: async () => stored,
    });
    return earlier && { record: await presentRow(db, kind, earlier.record), created: false };
  };
  // A request refused now still gets the record that it made before, if it is a replay.
  const refuseUnlessReplay = async (refusal: AppError) => {
    const earlier = await replay();
    if (!earlier) throw refusal;
    return earlier;
  };
  const officerId = input.officerId ?? ctx.actor.userId;
  if (officerId !== ctx.actor.userId && !roleManagesRecords(ctx.actor.role)) {
    return refuseUnlessReplay(
      new ForbiddenError('You may log records for yourself only.', [
        { field: 'officerId', message: 'must be yourself' },
      ]),
    );
  }
  try {
    await kind.check?.(db, agencyId, input);
  } catch (error) {
    if (error instanceof AppError) return refuseUnlessReplay(error);
    throw error;
  }
  const materials = [...(input.materials ?? [])].sort((a, b) =>
    a.materialId < b.materialId ? -1 : 1,
  );
  const own = kind.newColumns(input);
  // What the API will answer, but for what the database decides; the audit entry is this with
  // the database's part laid over it, in the same statement.
  const draft = kind.present(
    {
      id: input.id,
      agencyId,
      initiativeId: null,
      officerId,
      occurredAt: new Date(input.occurredAt),
      localDate: '',
      placeId: input.placeId,
      notes: input.notes,
      createdBy: ctx.actor.userId,
      requestHash: hash,
      version: 1,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      deletedAt: null,
      deletedReason: null,
      ...own,
    } as unknown as Row<T>,
    { materials, shortfalls: [] },
  );
  const outcome = await insertNewRecord(db, kind.table, {
    id: input.id,
    agencyId,
    actorId: ctx.actor.userId,
    officerId,
    occurredAt: input.occurredAt,
    placeId: input.placeId,
    notes: input.notes,
    requestHash: hash,
    initiativeId: input.initiativeId,
    materials: input.materials ?? [],
    own: own as Record<string, unknown>,
    audit: {
      action: `${kind.entity}.created`,
      entityType: kind.entity,
      draft,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
    },
  });
  if (outcome.row) {
    return {
      record: kind.present(outcome.row, { materials, shortfalls: outcome.shortfalls }),
      created: true,
    };
  }
  const invalid = refusedFields(outcome.checks);
  if (invalid.length > 0) return refuseUnlessReplay(new ValidationError(invalid));
  if (outcome.checks.closedInitiative !== null)
    return refuseUnlessReplay(closedInitiativeError(outcome.checks.closedInitiative));
  // Nothing refused it, so the id was taken: by this very request before, or by another,
  // in any agency and as any kind of record (the registry decided, even in a race).
  const earlier = await replay();
  if (!earlier)
    throw new Error(`${kind.label} ${input.id}: the id was taken, yet no record has it`);
  return earlier;
}

/** The fields a new record's checks refused, in the order of the request's fields. */
function refusedFields(checks: NewRecordChecks): { field: string; message: string }[] {
  return [
    ...(checks.officerOk
      ? []
      : [{ field: 'officerId', message: 'is not an active user of this agency' }]),
    ...(checks.placeOk ? [] : [{ field: 'placeId', message: 'is not a place of this agency' }]),
    ...checks.unknownMaterials.map((index) => ({
      field: `materials.${index}.materialId`,
      message: 'is not a material of this agency',
    })),
    ...(checks.initiativeOk
      ? []
      : [{ field: 'initiativeId', message: 'is not an initiative of this agency' }]),
  ];
}

/** The agency's record, if the actor may see it: officers see their own only. */
async function requireRecord<T extends RecordTable>(
  db: Executor,
  ctx: RequestContext,
  table: T,
  label: string,
  id: string,
): Promise<Row<T>> {
  const row = await findRecordRow(db, table, id);
  const visible =
    row &&
    row.agencyId === ctx.actor.agencyId &&
    (row.officerId === ctx.actor.userId || ctx.actor.role !== 'officer');
  if (!row || !visible) throw new NotFoundError(label, id);
  return row;
}

export async function getRecord<T extends RecordTable, C extends RecordInput, O>(
  db: Executor,
  ctx: RequestContext,
  kind: RecordKind<T, C, O>,
  id: string,
): Promise<O> {
  return presentRow(db, kind, await requireRecord(db, ctx, kind.table, kind.label, id));
}

function assertChangeable(
  ctx: RequestContext,
  row: { officerId: string | null; deletedAt: Date | null },
  label: string,
): void {
  if (row.deletedAt) throw new ConflictError(`The ${label} has been deleted.`);
  if (!roleManagesRecords(ctx.actor.role) && row.officerId !== ctx.actor.userId) {
    throw new ForbiddenError(`You may change your own records only.`);
  }
}

/**
 * Changes a record at the version the caller read: the fields the edit carries, no others.
 * What the record's stock and tallies derive follows only what changed: the stock it handed out
 * is reversed and posted again only when its material lines or its officer change, in the same
 * transaction; the tallies follow the changed row (their triggers, migration 0004).
 */
export async function updateRecord<
  T extends RecordTable,
  C extends RecordInput,
  O,
  U extends RecordChanges,
>(
  db: Database,
  ctx: RequestContext,
  kind: RecordKind<T, C, O, U>,
  id: string,
  input: U,
): Promise<O> {
  const agencyId = ctx.actor.agencyId;
  return inTransaction(db, async (tx) => {
    const current = await requireRecord(tx, ctx, kind.table, kind.label, id);
    assertChangeable(ctx, current, kind.label);
    await assertRecordInitiativeOpen(tx, current.initiativeId);
    const before = await presentRow(tx, kind, current);
    const { version, occurredAt, placeId, notes, officerId, initiativeId, materials, ...own } =
      input;
    const placement = await placementChanges(tx, ctx, current, {
      occurredAt,
      officerId,
      placeId,
      initiativeId,
    });
    await kind.check?.(tx, agencyId, own);
    const updated = await updateRecordAtVersion(tx, kind.table, id, version, {
      ...placement,
      ...(notes !== undefined ? { notes } : {}),
      ...kind.columnsOf(own),
    } as Partial<T['$inferInsert']>);
    if (!updated) throw staleVersion(kind.label, current.version);
    const record = { id, agencyId, kind: kind.entity };
    const currentLines = (await materialLinesOf(tx, kind.entity, [record])).get(id) ?? [];
    const linesChanged = materials !== undefined && !sameLines(materials, currentLines);
    const lines = linesChanged ? materials : currentLines;
    if (linesChanged || (placement.officerId !== undefined && lines.length > 0)) {
      if (linesChanged) await assertMaterialsOfAgency(tx, agencyId, lines);
      await reverseHandedOut(tx, record);
      if (linesChanged) await replaceRecordMaterials(tx, record, lines);
      await postHandedOut(tx, {
        agencyId,
        officerId: updated.officerId,
        recordId: id,
        occurredAt: updated.occurredAt,
        lines,
      });
    }
    const after = await presentRow(tx, kind, updated);
    await recordChange(tx, ctx, {
      action: `${kind.entity}.updated`,
      entityType: kind.entity,
      entityId: id,
      agencyId,
      before,
      after,
    });
    return after;
  });
}

/** Deletes a record softly, with a reason; the stock it handed out goes back where it came from. */
export async function deleteRecord<T extends RecordTable, C extends RecordInput, O>(
  db: Database,
  ctx: RequestContext,
  kind: RecordKind<T, C, O>,
  id: string,
  input: DeleteRecord,
): Promise<O> {
  return inTransaction(db, async (tx) => {
    const current = await requireRecord(tx, ctx, kind.table, kind.label, id);
    assertChangeable(ctx, current, kind.label);
    await assertRecordInitiativeOpen(tx, current.initiativeId);
    const before = await presentRow(tx, kind, current);
    const updated = await updateRecordAtVersion(tx, kind.table, id, input.version, {
      deletedAt: new Date(),
      deletedReason: input.reason,
    } as Partial<T['$inferInsert']>);
    if (!updated) throw staleVersion(kind.label, current.version);
    await reverseHandedOut(tx, { id, agencyId: current.agencyId, kind: kind.entity });
    const after = await presentRow(tx, kind, updated);
    await recordChange(tx, ctx, {
      action: `${kind.entity}.deleted`,
      entityType: kind.entity,
      entityId: id,
      agencyId: ctx.actor.agencyId,
      before,
      after: { deletedAt: updated.deletedAt?.toISOString(), reason: input.reason },
    });
    return after;
  });
}

/** The filter a caller may use: an officer's lists hold their own records only. */
export function scopeFilter(
  ctx: RequestContext,
  filter: RecordFilter,
): RecordFilter & { agencyId: string } {
  if (ctx.actor.role === 'officer') {
    if (filter.officerId && filter.officerId !== ctx.actor.userId) {
      throw new ForbiddenError('You may list your own records only.', [
        { field: 'officerId', message: 'must be yourself' },
      ]);
    }
    return { ...filter, officerId: ctx.actor.userId, agencyId: ctx.actor.agencyId };
  }
  return { ...filter, agencyId: ctx.actor.agencyId };
}

/** Pages of an export being written at once, on as many connections of a server's pool. */
const exportReadAhead = 3;

/**
 * The records the filter selects as a CSV stream, oldest first: a header, then page after page
 * of CSV that the database writes (`csvPage`, a COPY each). Where each page ends is found first
 * by a walk of the index (`exportPageEnd`), so two pages are written at once, each by a
 * connection of its own (on a server, by two cores), while the stream sends them in order: an
 * export of a million records holds a few pages in memory and costs Node nothing per record.
 *
 * The first page is read before the stream is returned: a filter the database refuses is then
 * an answer (400), never a file that stops after its header and looks like "no records". A
 * failure after that makes the stream fail, and the HTTP layer aborts the download with it.
 */
export async function exportRecordsCsv<T extends RecordTable, C extends RecordInput, O>(
  db: Executor,
  ctx: RequestContext,
  kind: RecordKind<T, C, O>,
  filter: RecordFilter & { kind?: string | undefined },
  pageSize = 4000,
): Promise<Readable> {
  const scoped = { ...scopeFilter(ctx, filter), kind: filter.kind };
  const header = csvHeader(kind.table, kind.csvColumns).join(',');
  const pages: Promise<Buffer>[] = [];
  let after: ExportKey | undefined;
  let last = false;
  const queueNextPage = async () => {
    const through = await exportPageEnd(db, kind.table, { ...scoped, after }, pageSize);
    const page = csvPage(db, kind.table, kind.csvColumns, { ...scoped, after, through });
    // NOTE: a reader that stops early leaves pages unawaited; their failure is not news.
    page.catch(() => undefined);
    pages.push(page);
    if (through) after = through;
    else last = true;
  };
  await queueNextPage();
  await pages[0];
  return Readable.from(
    (async function* () {
      yield Buffer.from(`\ufeff${header}\n`);
      while (!last && pages.length < exportReadAhead) await queueNextPage();
      for (let page = pages.shift(); page; page = pages.shift()) {
        const queued = last ? undefined : queueNextPage();
        const csv = await page;
        await queued;
        if (csv.length > 0) yield csv;
      }
    })(),
    { objectMode: false },
  );
}

/**
 * A record as the API gives it: the fields every kind shares, then the kind's own.
 * NOTE: not `{ ...presentRecordBase(row), ...own }`: on V8 a spread followed by a dozen more
 * properties is some 8 times slower, which an export of a million records pays in full.
 */
export function presentRecord<Own extends object>(
  row: Row<RecordTable>,
  own: Own,
): ReturnType<typeof presentRecordBase> & Own {
  return Object.assign(presentRecordBase(row), own);
}

/** The response fields every kind of field record shares, from its row. */
export function presentRecordBase(row: Row<RecordTable>) {
  return {
    id: row.id,
    agencyId: row.agencyId,
    initiativeId: row.initiativeId,
    officerId: row.officerId,
    occurredAt: row.occurredAt.toISOString(),
    localDate: row.localDate,
    placeId: row.placeId,
    notes: row.notes,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    deletedReason: row.deletedReason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listRecords<T extends RecordTable, C extends RecordInput, O>(
  db: Executor,
  ctx: RequestContext,
  kind: RecordKind<T, C, O>,
  query: RecordFilter & { limit: number; cursor?: string | undefined; kind?: string | undefined },
): Promise<{ items: O[]; nextCursor: string | null }> {
  const rows = await listRecordRows(db, kind.table, {
    ...scopeFilter(ctx, query),
    kind: query.kind,
    before: parseRecordCursor(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await presentRows(db, kind, page),
    nextCursor:
      rows.length > query.limit && last ? `${last.occurredAt.toISOString()}|${last.id}` : null,
  };
}

function parseRecordCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const [at, id] = cursor.split('|');
  const occurredAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(occurredAt.getTime())) {
    throw ValidationError.field('cursor', 'is not a cursor this list gave');
  }
  return { occurredAt, id };
}
