import { and, asc, desc, eq, gte, isNull, lte, param, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import {
  activities,
  type inspections,
  type outreachVisits,
  places,
  recordMaterials,
  users,
} from '#db/schema.ts';
import { type CsvSqlColumn, csvInstant, csvLine, csvNumber, csvPlain, csvText } from './csv-sql.ts';

/**
 * Queries that every kind of field record shares: inspections, outreach visits and activities
 * have the same columns for who, when, where and which initiative (schema.ts).
 */
export type RecordTable = typeof inspections | typeof outreachVisits | typeof activities;

// NOTE: the three tables share these columns; Drizzle cannot type a union of tables, so queries
// are written against one of them and hold for all.
const as = (table: RecordTable) => table as typeof inspections;

export async function findRecordRow<T extends RecordTable>(
  db: Executor,
  table: T,
  id: string,
): Promise<T['$inferSelect'] | undefined> {
  const t = as(table);
  const [row] = await db.select().from(t).where(eq(t.id, id));
  return row as T['$inferSelect'] | undefined;
}

export async function insertRecordRow<T extends RecordTable>(
  db: Executor,
  table: T,
  row: T['$inferInsert'],
): Promise<T['$inferSelect']> {
  const [created] = await db
    .insert(as(table))
    .values(row as typeof inspections.$inferInsert)
    .returning();
  if (!created) throw new Error('insert returned no row');
  return created as T['$inferSelect'];
}

/** Inserts a record unless its id is taken (then nothing, and undefined): see createOnce. */
export async function insertRecordRowUnlessTaken<T extends RecordTable>(
  db: Executor,
  table: T,
  row: T['$inferInsert'],
): Promise<T['$inferSelect'] | undefined> {
  const t = as(table);
  const [created] = await db
    .insert(t)
    .values(row as typeof inspections.$inferInsert)
    .onConflictDoNothing({ target: t.id })
    .returning();
  return created as T['$inferSelect'] | undefined;
}

/** What placing a record needs to know of its agency, in one round trip. */
export interface PlacementFacts {
  timeZone: string;
  /** The agency's stock policy: a hand-out beyond the officer's stock draws on the store. */
  drawOnStore: boolean;
  /** The place exists in the agency and is not deleted (true when there is none). */
  placeOk: boolean;
  /** Of the material ids asked about, those of the agency and not deleted. */
  materialIds: string[];
  /**
   * Open initiatives whose dates come within a day of `day`, latest-starting first: the local
   * date, which needs the time zone, is within a day of the UTC one.
   */
  initiatives: { id: string; startsOn: string; endsOn: string }[];
}

export async function placementFacts(
  db: Executor,
  query: { agencyId: string; utcDate: string; placeId: string | null; materialIds: string[] },
): Promise<PlacementFacts | undefined> {
  const result = await db.execute<{
    time_zone: string;
    stock_draw_on_store: boolean;
    place_ok: boolean;
    material_ids: string[];
    initiatives: PlacementFacts['initiatives'];
  }>(sql`
    select a.time_zone, a.stock_draw_on_store,
      ${
        query.placeId === null
          ? sql`true`
          : sql`exists (select 1 from places p
              where p.id = ${query.placeId} and p.agency_id = a.id and p.deleted_at is null)`
      } as place_ok,
      array(select m.id::text from materials m
        where m.id = any(${param(query.materialIds)}::uuid[]) and m.agency_id = a.id
          and m.deleted_at is null) as material_ids,
      coalesce((select json_agg(json_build_object('id', n.id, 'startsOn', n.starts_on,
          'endsOn', n.ends_on) order by n.starts_on desc, n.id)
        from initiatives n
        where n.agency_id = a.id and n.deleted_at is null and n.closed_at is null
          and n.starts_on <= ${query.utcDate}::date + 1 and n.ends_on >= ${query.utcDate}::date - 1),
        '[]'::json) as initiatives
    from agencies a where a.id = ${query.agencyId}`);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    timeZone: row.time_zone,
    drawOnStore: row.stock_draw_on_store,
    placeOk: row.place_ok,
    materialIds: row.material_ids,
    initiatives:
      typeof row.initiatives === 'string' ? JSON.parse(row.initiatives) : row.initiatives,
  };
}

/** Applies `changes` only at `version`; nothing when the row has moved on. */
export async function updateRecordAtVersion<T extends RecordTable>(
  db: Executor,
  table: T,
  id: string,
  version: number,
  changes: Partial<T['$inferInsert']>,
): Promise<T['$inferSelect'] | undefined> {
  const t = as(table);
  const [row] = await db
    .update(t)
    .set({
      ...(changes as Partial<typeof inspections.$inferInsert>),
      version: sql`${t.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(t.id, id), eq(t.version, version)))
    .returning();
  return row as T['$inferSelect'] | undefined;
}

export interface RecordListFilter {
  agencyId: string;
  initiativeId?: string | undefined;
  officerId?: string | undefined;
  placeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  includeDeleted?: boolean | undefined;
  /** Newest first: records before this position. */
  before?: { occurredAt: Date; id: string } | undefined;
  /** Oldest first: records after this position (exports). */
  after?: { occurredAt: Date; id: string } | undefined;
  kind?: string | undefined;
  limit: number;
}

export function recordConditions(table: RecordTable, filter: Omit<RecordListFilter, 'limit'>) {
  const t = as(table);
  const before = filter.before;
  const after = filter.after;
  return and(
    eq(t.agencyId, filter.agencyId),
    filter.includeDeleted ? undefined : isNull(t.deletedAt),
    filter.initiativeId ? eq(t.initiativeId, filter.initiativeId) : undefined,
    filter.officerId ? eq(t.officerId, filter.officerId) : undefined,
    filter.placeId ? eq(t.placeId, filter.placeId) : undefined,
    filter.from ? gte(t.localDate, filter.from) : undefined,
    filter.to ? lte(t.localDate, filter.to) : undefined,
    filter.kind && table === activities
      ? eq(activities.kind, filter.kind as 'presentations')
      : undefined,
    // Row comparisons, so that the index on (…, occurred_at, id) bounds the scan: a page deep
    // in a long list costs what the first one does.
    before
      ? sql`(${t.occurredAt}, ${t.id}) < (${before.occurredAt.toISOString()}::timestamptz, ${before.id}::uuid)`
      : undefined,
    after
      ? sql`(${t.occurredAt}, ${t.id}) > (${after.occurredAt.toISOString()}::timestamptz, ${after.id}::uuid)`
      : undefined,
  );
}

/** A page of records: newest first for lists, oldest first for exports (with `after`). */
export async function listRecordRows<T extends RecordTable>(
  db: Executor,
  table: T,
  filter: RecordListFilter,
  order: 'newest' | 'oldest' = 'newest',
): Promise<T['$inferSelect'][]> {
  const t = as(table);
  const direction = order === 'newest' ? desc : asc;
  const rows = await db
    .select()
    .from(t)
    .where(recordConditions(table, filter))
    .orderBy(direction(t.occurredAt), direction(t.id))
    .limit(filter.limit);
  return rows as T['$inferSelect'][];
}

export async function replaceRecordMaterials(
  db: Executor,
  recordId: string,
  lines: { materialId: string; quantity: number }[],
): Promise<void> {
  await db.delete(recordMaterials).where(eq(recordMaterials.recordId, recordId));
  if (lines.length > 0) {
    await db.insert(recordMaterials).values(lines.map((line) => ({ recordId, ...line })));
  }
}

export async function materialLinesOf(db: Executor, recordIds: string[]) {
  const byRecord = new Map<string, { materialId: string; quantity: number }[]>(
    recordIds.map((id) => [id, []]),
  );
  if (recordIds.length === 0) return byRecord;
  const rows = await db
    .select()
    .from(recordMaterials)
    // One array parameter, not a thousand: a batch of an export plans and binds at once.
    .where(sql`${recordMaterials.recordId} = any(${param(recordIds)}::uuid[])`)
    .orderBy(asc(recordMaterials.materialId));
  for (const row of rows)
    byRecord.get(row.recordId)?.push({ materialId: row.materialId, quantity: row.quantity });
  return byRecord;
}

/**
 * A page of an export: each record as a CSV line the database writes, oldest first, with the
 * position the next page starts after.
 */
export async function csvLinesPage(
  db: Executor,
  table: RecordTable,
  own: CsvSqlColumn[],
  filter: RecordListFilter,
): Promise<{ line: string; occurredAt: Date; id: string }[]> {
  const t = as(table);
  const shared = recordCsvColumns(t, own);
  return db
    .select({ line: sql<string>`${csvLine(shared)}`, occurredAt: t.occurredAt, id: t.id })
    .from(t)
    .leftJoin(users, eq(users.id, t.officerId))
    .leftJoin(places, eq(places.id, t.placeId))
    .where(recordConditions(table, filter))
    .orderBy(asc(t.occurredAt), asc(t.id))
    .limit(filter.limit);
}

/** The columns every kind's export has, around the kind's own. */
function recordCsvColumns(t: typeof inspections, own: CsvSqlColumn[]): CsvSqlColumn[] {
  return [
    { header: 'id', value: csvPlain(t.id) },
    { header: 'occurred_at', value: csvInstant(t.occurredAt) },
    { header: 'local_date', value: csvPlain(t.localDate) },
    {
      header: 'officer',
      value: csvText(sql`coalesce(${users.displayName}, ${t.officerId}::text)`),
    },
    { header: 'place', value: csvText(sql`coalesce(${places.name}, ${t.placeId}::text)`) },
    ...own,
    { header: 'notes', value: csvText(t.notes) },
    { header: 'initiative_id', value: csvPlain(t.initiativeId) },
    { header: 'place_id', value: csvPlain(t.placeId) },
    { header: 'officer_id', value: csvPlain(t.officerId) },
    { header: 'version', value: csvNumber(t.version) },
    { header: 'deleted_at', value: csvInstant(t.deletedAt) },
    { header: 'deleted_reason', value: csvText(t.deletedReason) },
  ];
}

/** The header of a kind's export, in the order of its lines. */
export function csvHeader(table: RecordTable, own: CsvSqlColumn[]): string[] {
  return recordCsvColumns(as(table), own).map((c) => c.header);
}

/** Material lines as one field: `Wallet card (en) × 2; Window decal (en) × 1`. */
export function csvMaterials(recordId: unknown): CsvSqlColumn {
  return {
    header: 'materials',
    value:
      csvText(sql`(select string_agg(m.name || ' (' || m.language || ') × ' || rm.quantity, '; '
      order by rm.material_id) from record_materials rm join materials m on m.id = rm.material_id
      where rm.record_id = ${recordId})`),
  };
}
