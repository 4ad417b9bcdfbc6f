import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gte,
  isNull,
  lte,
  param,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '#db/client.ts';
import { copyOutCsv } from '#db/copy.ts';
import { preparedStatement } from '#db/prepared.ts';
import {
  activities,
  type FieldRecordKind,
  type FieldRecordRef,
  fieldRecords,
  inspections,
  materials,
  outreachVisits,
  places,
  recordMaterials,
  users,
} from '#db/schema.ts';
import {
  handOutSteps,
  isRecordOf,
  shortfallLinesJson,
} from '../features/stock/stock.repository.ts';
import { type CsvSqlColumn, csvInstant, csvNumber, csvPlain, csvText } from './csv-sql.ts';

/**
 * Queries that every kind of field record shares: inspections, outreach visits and activities
 * have the same columns for who, when, where and which initiative (schema.ts).
 */
export type RecordTable = typeof inspections | typeof outreachVisits | typeof activities;

// NOTE: the three tables share these columns; Drizzle cannot type a union of tables, so queries
// are written against one of them and hold for all.
const as = (table: RecordTable) => table as typeof inspections;

/** The kind of record each table holds, as the registry of record ids names it. */
export function kindOfTable(table: RecordTable): FieldRecordKind {
  return table === inspections
    ? 'inspection'
    : table === outreachVisits
      ? 'outreach_visit'
      : 'activity';
}

/**
 * Who holds a record id, in any agency and as any kind, and the record itself when it is of
 * this table's kind: what a create needs to tell a replay from an id that is taken.
 */
export async function findRecordHolder<T extends RecordTable>(
  db: Executor,
  table: T,
  id: string,
): Promise<{ agencyId: string; kind: FieldRecordKind; row: T['$inferSelect'] | null } | undefined> {
  const t = as(table);
  const [found] = await db
    .select({ agencyId: fieldRecords.agencyId, kind: fieldRecords.kind, row: t })
    .from(fieldRecords)
    .leftJoin(t, and(eq(t.id, fieldRecords.id), eq(t.recordKind, fieldRecords.kind)))
    .where(eq(fieldRecords.id, id));
  return found && { ...found, row: found.row as T['$inferSelect'] | null };
}

export async function findRecordRow<T extends RecordTable>(
  db: Executor,
  table: T,
  id: string,
): Promise<T['$inferSelect'] | undefined> {
  const t = as(table);
  const [row] = await db.select().from(t).where(eq(t.id, id));
  return row as T['$inferSelect'] | undefined;
}

/**
 * The open initiative of an agency whose dates hold a local date, the latest-starting first:
 * where a record counts unless it names one (here, in imports and in placement).
 */
export function openInitiativeOn(agencyId: SQL, localDate: SQL): SQL {
  return sql`(select n.id from initiatives n
    where n.agency_id = ${agencyId} and n.deleted_at is null and n.closed_at is null
      and ${localDate} between n.starts_on and n.ends_on
    order by n.starts_on desc, n.id limit 1)`;
}

type SharedKey = keyof (typeof inspections)['$inferInsert'] &
  keyof (typeof outreachVisits)['$inferInsert'] &
  keyof (typeof activities)['$inferInsert'];

/** Every column of a kind of record that the other kinds do not have. */
export type OwnColumns<T extends RecordTable> = Required<Omit<T['$inferInsert'], SharedKey>>;

/** What a new record's statement is given: the row as the request has it, and its origin. */
export interface NewRecord {
  id: string;
  agencyId: string;
  actorId: string;
  officerId: string;
  occurredAt: string;
  placeId: string | null;
  notes: string;
  requestHash: string;
  /** Absent: the open initiative of its local date. Null: none. */
  initiativeId: string | null | undefined;
  /** In the request's order: a refusal names a line by its position. */
  materials: { materialId: string; quantity: number }[];
  /** The kind's own columns, every one of them, by property name. */
  own: Record<string, unknown>;
  audit: {
    action: string;
    entityType: string;
    /** The record as the API will present it, but for what the database decides. */
    draft: unknown;
    ip: string | null;
    userAgent: string | null;
    requestId: string;
  };
}

/** What the checks of a new record found; anything false or named refused it. */
export interface NewRecordChecks {
  placeOk: boolean;
  officerOk: boolean;
  initiativeOk: boolean;
  /** Positions in the request's material lines of materials the agency does not have. */
  unknownMaterials: number[];
  /** The name of the named initiative when it is closed. */
  closedInitiative: string | null;
}

export interface NewRecordOutcome<T extends RecordTable> {
  checks: NewRecordChecks;
  /** None when a check refused it or the id was taken. */
  row: T['$inferSelect'] | null;
  /** Material the officer and the store could not hand out, by material id. */
  shortfalls: { materialId: string; quantity: number }[];
}

/** The columns all three kinds of record have; the rest of a table's are the kind's own. */
const sharedColumnKeys = new Set(
  Object.keys(getTableColumns(inspections)).filter(
    (key) => key in getTableColumns(outreachVisits) && key in getTableColumns(activities),
  ),
);

/**
 * One statement that adds a new record, whole: it checks the place, the material, the officer
 * and a named initiative; works out the local date in the agency's time zone and the initiative;
 * takes the id in the registry of record ids (field_records) unless an agency holds it already,
 * as any kind of record, and only then inserts the record; stores the material lines; hands the
 * material out from the officer's stock, then the store's when the agency's policy lets it,
 * noting what neither had as shortfalls; and writes the audit entry. A single statement is atomic, so it
 * needs no transaction, and it is prepared once per connection: a record logged at the roadside
 * costs one round trip (decision 0010).
 */
function newRecordStatement<T extends RecordTable>(table: T) {
  const t = as(table);
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const own = Object.keys(columns).filter((key) => !sharedColumnKeys.has(key));
  const p = (name: string, type: string) => sql`${sql.placeholder(name)}::${sql.raw(type)}`;
  const agencyId = p('agencyId', 'uuid');
  const id = p('id', 'uuid');
  const officerId = p('officerId', 'uuid');
  const occurredAt = p('occurredAt', 'timestamptz');
  const placeId = p('placeId', 'uuid');
  const materialIds = p('materialIds', 'uuid[]');
  const named = p('initiativeNamed', 'boolean');
  const instant = (column: SQL) =>
    sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const statement = sql`
    with agency as (
      select a.id, a.stock_draw_on_store,
        (${occurredAt} at time zone a.time_zone)::date as local_date
      from agencies a where a.id = ${agencyId}
    ),
    named as (
      select n.id, n.name, n.closed_at is not null as closed from initiatives n
      where ${named} and n.id = ${p('initiativeId', 'uuid')} and n.agency_id = ${agencyId}
        and n.deleted_at is null
    ),
    checks as (
      select
        ${placeId} is null or exists (select 1 from places pl where pl.id = ${placeId}
          and pl.agency_id = ${agencyId} and pl.deleted_at is null) as "placeOk",
        ${officerId} = ${p('actorId', 'uuid')} or exists (select 1 from users u
          where u.id = ${officerId} and u.agency_id = ${agencyId} and u.active) as "officerOk",
        not ${named} or ${p('initiativeId', 'uuid')} is null
          or exists (select 1 from named) as "initiativeOk",
        array(select (w.position - 1)::int
          from unnest(${materialIds}) with ordinality as w(material_id, position)
          where not exists (select 1 from materials m where m.id = w.material_id
            and m.agency_id = ${agencyId} and m.deleted_at is null)
          order by w.position) as "unknownMaterials",
        (select name from named where closed) as "closedInitiative"
    ),
    placed as (
      select agency.id, agency.local_date, agency.stock_draw_on_store,
        case when ${named} then (select id from named)
          else ${openInitiativeOn(sql`agency.id`, sql`agency.local_date`)} end as initiative_id
      from agency, checks
      where checks."placeOk" and checks."officerOk" and checks."initiativeOk"
        and cardinality(checks."unknownMaterials") = 0 and checks."closedInitiative" is null
    ),
    registered as (
      -- NOTE: the id's one arbiter. A concurrent create of the same id, by any agency and as
      -- any kind, waits here for the other to commit, then finds the id taken.
      insert into field_records (id, agency_id, kind)
      select ${id}, placed.id, ${kindOfTable(table)} from placed
      on conflict (id) do nothing
      returning id
    ),
    inserted as (
      insert into ${t} (id, agency_id, initiative_id, officer_id, occurred_at, local_date,
        place_id, notes, created_by, request_hash${sql.join(
          own.map((key) => sql`, ${sql.identifier(columns[key]?.name ?? key)}`),
        )})
      select registered.id, placed.id, placed.initiative_id, ${officerId}, ${occurredAt},
        placed.local_date, ${placeId}, ${p('notes', 'text')}, ${p('actorId', 'uuid')},
        ${p('requestHash', 'text')}${sql.join(
          own.map((key) => sql`, ${p(`own.${key}`, columns[key]?.getSQLType() ?? 'text')}`),
        )}
      from placed, registered
      returning *
    ),
    wanted as (
      select w.material_id, w.quantity
      from unnest(${materialIds}, ${p('quantities', 'int[]')}) as w(material_id, quantity)
      where exists (select 1 from inserted)
    ),
    lines as (
      insert into record_materials (record_id, material_id, quantity)
      select ${id}, material_id, quantity from wanted
    ),
    ${handOutSteps({
      agencyId,
      officerId,
      recordId: id,
      occurredAt,
      drawOnStore: sql`(select stock_draw_on_store from placed)`,
    })},
    audited as (
      insert into audit_log (actor_id, agency_id, action, entity_type, entity_id, after, ip,
        user_agent, request_id)
      select ${p('actorId', 'uuid')}, ${agencyId}, ${p('action', 'text')},
        ${p('entityType', 'text')}, i.id::text,
        ${p('draft', 'jsonb')} || jsonb_build_object('initiativeId', i.initiative_id,
          'localDate', i.local_date, 'version', i.version,
          'createdAt', ${instant(sql`i.created_at`)}, 'updatedAt', ${instant(sql`i.updated_at`)})
          || case when ${p('draft', 'jsonb')} ? 'shortfalls'
            then jsonb_build_object('shortfalls', ${shortfallLinesJson}) else '{}'::jsonb end,
        ${p('ip', 'text')}, ${p('userAgent', 'text')}, ${p('requestId', 'text')}
      from inserted i
    )
    select row_to_json(checks) as checks, (select row_to_json(i) from inserted i) as row,
      ${shortfallLinesJson} as shortfalls
    from checks`;
  const run = preparedStatement<{
    checks: NewRecordChecks;
    row: Record<string, unknown> | null;
    shortfalls: { materialId: string; quantity: number }[];
  }>(`milepost_new_${getTableName(table)}`, statement);
  return { run, columns, own };
}

const newRecordStatements = new Map<RecordTable, ReturnType<typeof newRecordStatement>>();

/** Adds a new record in one statement: see newRecordStatement. */
export async function insertNewRecord<T extends RecordTable>(
  db: Executor,
  table: T,
  record: NewRecord,
): Promise<NewRecordOutcome<T>> {
  let statement = newRecordStatements.get(table);
  if (!statement) {
    statement = newRecordStatement(table);
    newRecordStatements.set(table, statement);
  }
  const values: Record<string, unknown> = {
    id: record.id,
    agencyId: record.agencyId,
    actorId: record.actorId,
    officerId: record.officerId,
    occurredAt: record.occurredAt,
    placeId: record.placeId,
    notes: record.notes,
    requestHash: record.requestHash,
    initiativeNamed: record.initiativeId !== undefined,
    initiativeId: record.initiativeId ?? null,
    materialIds: record.materials.map((line) => line.materialId),
    quantities: record.materials.map((line) => line.quantity),
    action: record.audit.action,
    entityType: record.audit.entityType,
    draft: JSON.stringify(record.audit.draft),
    ip: record.audit.ip,
    userAgent: record.audit.userAgent,
    requestId: record.audit.requestId,
  };
  for (const key of statement.own) {
    if (!(key in record.own)) throw new Error(`${getTableName(table)}: no value for ${key}`);
    values[`own.${key}`] = record.own[key];
  }
  const [result] = await statement.run(db, values);
  if (!result) throw new Error('the new record statement answered no row');
  return {
    checks: result.checks,
    row: result.row ? (rowFromJson(statement.columns, result.row) as T['$inferSelect']) : null,
    shortfalls: result.shortfalls,
  };
}

/** A row as Drizzle gives it, from the row's JSON: property names, and dates for timestamps. */
function rowFromJson(columns: Record<string, PgColumn>, json: Record<string, unknown>) {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = json[column.name];
    row[key] =
      column.columnType === 'PgTimestamp' && typeof value === 'string' ? new Date(value) : value;
  }
  return row;
}

/** What placing a record needs to know of its agency, in one round trip. */
export interface PlacementFacts {
  timeZone: string;
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
    place_ok: boolean;
    material_ids: string[];
    initiatives: PlacementFacts['initiatives'];
  }>(sql`
    select a.time_zone,
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
  kind?: string | undefined;
  limit: number;
}

export function recordConditions(table: RecordTable, filter: Omit<RecordListFilter, 'limit'>) {
  const t = as(table);
  const before = filter.before;
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
  );
}

/** A page of records, newest first. */
export async function listRecordRows<T extends RecordTable>(
  db: Executor,
  table: T,
  filter: RecordListFilter,
): Promise<T['$inferSelect'][]> {
  const t = as(table);
  const rows = await db
    .select()
    .from(t)
    .where(recordConditions(table, filter))
    .orderBy(desc(t.occurredAt), desc(t.id))
    .limit(filter.limit);
  return rows as T['$inferSelect'][];
}

/**
 * Replaces a record's material lines, in the caller's transaction. Both statements name the
 * record whole (id, agency, kind); a record that is not the agency's, or not of that kind, has
 * no lines to remove, and lines for it are refused.
 */
export async function replaceRecordMaterials(
  db: Executor,
  record: FieldRecordRef,
  lines: { materialId: string; quantity: number }[],
): Promise<void> {
  await db
    .delete(recordMaterials)
    .where(
      and(eq(recordMaterials.recordId, record.id), isRecordOf(recordMaterials.recordId, record)),
    );
  if (lines.length === 0) return;
  const added = await db.execute(sql`
    insert into ${recordMaterials} (record_id, material_id, quantity)
    select f.id, w.material_id, w.quantity
    from ${fieldRecords} f,
      unnest(${param(lines.map((l) => l.materialId))}::uuid[],
        ${param(lines.map((l) => l.quantity))}::int[]) as w(material_id, quantity)
    where f.id = ${record.id} and f.agency_id = ${record.agencyId} and f.kind = ${record.kind}
    returning 1`);
  if (added.rows.length !== lines.length) {
    throw new Error(`record ${record.id} is not a ${record.kind} of agency ${record.agencyId}`);
  }
}

/**
 * The material lines of records of one kind, by record, each record's scoped to its own agency:
 * a line is read only when the registry holds its record id for that agency and kind.
 */
export async function materialLinesOf(
  db: Executor,
  kind: FieldRecordKind,
  records: { id: string; agencyId: string }[],
) {
  const byRecord = new Map<string, { materialId: string; quantity: number }[]>(
    records.map((record) => [record.id, []]),
  );
  if (records.length === 0) return byRecord;
  // One array parameter per column, not a thousand parameters: a page plans and binds at once.
  const asked = sql`unnest(${param(records.map((r) => r.id))}::uuid[],
    ${param(records.map((r) => r.agencyId))}::uuid[]) as asked(id, agency_id)`;
  const result = await db.execute<{ record_id: string; material_id: string; quantity: number }>(
    sql`select rm.record_id, rm.material_id, rm.quantity
      from ${asked}
      join ${fieldRecords} f on f.id = asked.id and f.agency_id = asked.agency_id
        and f.kind = ${kind}
      join ${recordMaterials} rm on rm.record_id = f.id
      order by rm.material_id`,
  );
  for (const row of result.rows)
    byRecord
      .get(row.record_id)
      ?.push({ materialId: row.material_id, quantity: Number(row.quantity) });
  return byRecord;
}

/**
 * A record's place in an export, oldest first: its time exactly as the database holds it (to the
 * microsecond; a JavaScript date would round it to the millisecond and lose or repeat records
 * at a page's edge) and its id.
 */
export interface ExportKey {
  occurredAt: string;
  id: string;
}

export type ExportFilter = Omit<RecordListFilter, 'limit' | 'before'>;

function exportRange(t: typeof inspections, after?: ExportKey, through?: ExportKey) {
  return and(
    after
      ? sql`(${t.occurredAt}, ${t.id}) > (${after.occurredAt}::timestamptz, ${after.id}::uuid)`
      : undefined,
    through
      ? sql`(${t.occurredAt}, ${t.id}) <= (${through.occurredAt}::timestamptz, ${through.id}::uuid)`
      : undefined,
  );
}

/**
 * Where a page of about `size` records after `after` ends, in export order; none when fewer
 * remain. It walks the index of (initiative or agency, occurred_at, id) alone, so the next page's
 * end is known long before its lines are written: the filter's other conditions (officer,
 * place, deleted) are left to the page, which may then hold fewer; dates narrow the walk with a
 * day's margin either side, as a local date lies within a day of its UTC one.
 */
export async function exportPageEnd(
  db: Executor,
  table: RecordTable,
  filter: ExportFilter & { after?: ExportKey | undefined },
  size: number,
): Promise<ExportKey | undefined> {
  const t = as(table);
  const [end] = await db
    .select({ occurredAt: sql<string>`${t.occurredAt}::text`, id: t.id })
    .from(t)
    .where(
      and(
        filter.initiativeId
          ? eq(t.initiativeId, filter.initiativeId)
          : eq(t.agencyId, filter.agencyId),
        filter.from ? sql`${t.occurredAt} >= ${filter.from}::date - 1` : undefined,
        filter.to ? sql`${t.occurredAt} < ${filter.to}::date + 2` : undefined,
        exportRange(t, filter.after),
      ),
    )
    .orderBy(asc(t.occurredAt), asc(t.id))
    .offset(size - 1)
    .limit(1);
  return end;
}

/**
 * The records after `after` and through `through` (to the end when none), oldest first, as CSV
 * written by the database (copyOutCsv), without a header.
 */
export async function csvPage(
  db: Executor,
  table: RecordTable,
  own: CsvSqlColumn[],
  filter: ExportFilter & { after?: ExportKey | undefined; through?: ExportKey | undefined },
): Promise<Buffer> {
  const t = as(table);
  const materialNames = materialNamesOf(db, filter.agencyId);
  const fields = recordCsvColumns(t, own).map(
    (c, index) => sql`${c.value} as f${sql.raw(String(index))}`,
  );
  // NOTE: the bounds on occurred_at alone repeat the row comparisons for the planner's sake: it
  // estimates them from its statistics, sees a page, and walks the index in order.
  const page = db
    .with(materialNames)
    .select({ fields: sql.join(fields, sql`, `) })
    .from(t)
    .crossJoin(materialNames)
    .leftJoin(users, eq(users.id, t.officerId))
    .leftJoin(places, eq(places.id, t.placeId))
    .where(
      and(
        recordConditions(table, filter),
        exportRange(t, filter.after, filter.through),
        filter.after ? sql`${t.occurredAt} >= ${filter.after.occurredAt}::timestamptz` : undefined,
        filter.through
          ? sql`${t.occurredAt} <= ${filter.through.occurredAt}::timestamptz`
          : undefined,
      ),
    )
    .orderBy(asc(t.occurredAt), asc(t.id));
  return copyOutCsv(db, page.getSQL());
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

/**
 * The display names of the agency's materials (deleted ones too: old records name them), by id,
 * read once per export page: the material lines of each record look their names up in it.
 */
function materialNamesOf(db: Executor, agencyId: string) {
  return db.$with('material_names').as(
    db
      .select({
        names:
          sql`coalesce(jsonb_object_agg(${materials.id}, ${materials.name} || ' (' || ${materials.language} || ')'), '{}'::jsonb)`.as(
            'names',
          ),
      })
      .from(materials)
      .where(eq(materials.agencyId, agencyId)),
  );
}

/**
 * Material lines as one field: `Wallet card (en) × 2; Window decal (en) × 1`, in material order.
 * NOTE: written for speed, as an export pays it per record: the names come from the page's
 * `material_names`, not a join per record; the lines come in the primary key's order, so no sort
 * per record; and csv_text applies to the aggregate inside the sub-select, where PostgreSQL
 * inlines it (around a sub-select it would call the function per record).
 */
export function csvMaterials(recordId: unknown): CsvSqlColumn {
  return {
    header: 'materials',
    value: sql`(select csv_text(string_agg(l.line, '; ')) from (
      select (material_names.names ->> rm.material_id::text) || ' × ' || rm.quantity as line
      from record_materials rm where rm.record_id = ${recordId} order by rm.material_id) l)`,
  };
}
