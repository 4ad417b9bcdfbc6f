import { eq, param, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { places, users } from '#db/schema.ts';
import { openInitiativeOn } from '../../records/field-records.repository.ts';
import type { ImportedPlaceFields } from './place-matching.ts';

export type PlaceRow = typeof places.$inferSelect;

/**
 * Waits until no other import of this kind for the agency is writing, for the rest of the
 * transaction: two imports of one file at once match each other's places instead of both
 * adding them.
 */
export async function lockAgencyImports(
  db: Executor,
  kind: 'places' | 'inspections',
  agencyId: string,
): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`milepost import ${kind} ${agencyId}`}, 0))`,
  );
}

/**
 * Refreshes the planner's statistics of a table an import grows. NOTE: PGlite runs no
 * autovacuum, and PostgreSQL's never reaches a temporary table: a table that grew from nothing
 * to 20,000 places while its statistics said empty made the matching query scan every place for
 * each row (1.1 s a batch, 0.3 ms once analysed).
 */
export async function analyzeTable(
  db: Executor,
  table: 'places' | 'inspections' | SQL,
): Promise<void> {
  await db.execute(sql`analyze ${typeof table === 'string' ? sql.raw(table) : table}`);
}

/** Degrees of latitude in `km` kilometres, a little more: a band that surely holds the circle. */
const latitudeBand = (km: number) => (km / 111.32) * 1.1;

/**
 * The agency's places that rows of an import could be: those with one of the rows' OSM ids
 * (deleted ones too, as they keep their element), and the live ones of a row's normalised name
 * within about `radiusKm` of it (the caller measures exactly). Locked until the transaction
 * ends, so that an edit made meanwhile is not overwritten with what the import read before it.
 */
export async function findPlacesToMatch(
  db: Executor,
  agencyId: string,
  rows: { osmId: string | null; normalizedName: string; lat: number; lon: number }[],
  radiusKm: number,
): Promise<PlaceRow[]> {
  const osmIds = rows.flatMap((r) => (r.osmId ? [r.osmId] : []));
  const band = latitudeBand(radiusKm);
  const candidates = sql`
    select p.id from unnest(${param(rows.map((r) => r.normalizedName))}::text[],
      ${param(rows.map((r) => r.lat))}::float8[]) as r(normalized_name, lat)
    join places p on p.agency_id = ${agencyId} and p.deleted_at is null
      and p.normalized_name = r.normalized_name and p.lat between r.lat - ${band} and r.lat + ${band}
    union
    select p.id from places p
    where p.agency_id = ${agencyId} and p.osm_id = any(${param(osmIds)}::text[])`;
  return db.select().from(places).where(sql`${places.id} in (${candidates})`).for('update');
}

/** Column and type of each field an import writes, as json_to_recordset reads them. */
const importedPlaceColumns: [keyof ImportedPlaceFields, string, string][] = [
  ['kind', 'kind', 'text'],
  ['name', 'name', 'text'],
  ['normalizedName', 'normalized_name', 'text'],
  ['lat', 'lat', 'float8'],
  ['lon', 'lon', 'float8'],
  ['address', 'address', 'text'],
  ['brand', 'brand', 'text'],
  ['operator', 'operator', 'text'],
  ['highway', 'highway', 'text'],
  ['exit', 'exit', 'text'],
  ['osmId', 'osm_id', 'text'],
  ['source', 'source', 'text'],
  ['attribution', 'attribution', 'text'],
];

/**
 * The rows as one json parameter and the record type that reads it back. NOTE: one parameter,
 * not one per value: PGlite binds each parameter slowly, and a batch of places as thousands of
 * them took four times as long.
 */
function importedPlacesJson(rows: (ImportedPlaceFields & { id: string })[], extra: string[] = []) {
  const json = JSON.stringify(
    rows.map((row) =>
      Object.fromEntries([
        ['id', row.id],
        ...importedPlaceColumns.map(([key, column]) => [column, row[key]]),
        ...extra.map((key) => [key, (row as unknown as Record<string, unknown>)[key]]),
      ]),
    ),
  );
  const columns = [
    'id uuid',
    ...importedPlaceColumns.map(([, column, type]) => `"${column}" ${type}`),
  ];
  return { json, columns };
}

/** Adds the places in one statement. */
export async function insertImportedPlaces(
  db: Executor,
  agencyId: string,
  rows: (ImportedPlaceFields & { id: string; requestHash: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  const { json, columns } = importedPlacesJson(rows, ['requestHash']);
  const names = ['id', ...importedPlaceColumns.map(([, column]) => `"${column}"`)].join(', ');
  await db.execute(sql`insert into places (agency_id, request_hash, ${sql.raw(names)})
    select ${agencyId}, v."requestHash", ${sql.raw(names)}
    from json_to_recordset(${param(json)}::json)
      as v(${sql.raw([...columns, '"requestHash" text'].join(', '))})`);
}

/** Sets each place to what an import made of it, in one statement; a new version each. */
export async function updateImportedPlaces(
  db: Executor,
  rows: (ImportedPlaceFields & { id: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  const { json, columns } = importedPlacesJson(rows);
  const set = Object.fromEntries(
    importedPlaceColumns.map(([key, column]) => [key, sql.raw(`v."${column}"`) as SQL]),
  );
  await db
    .update(places)
    .set({ ...set, version: sql`${places.version} + 1`, updatedAt: sql`now()` })
    .from(sql`json_to_recordset(${param(json)}::json) as v(${sql.raw(columns.join(', '))})`)
    .where(sql`${places.id} = v.id`);
}

export function findPlacesByIds(db: Executor, ids: string[]): Promise<PlaceRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(places)
    .where(sql`${places.id} = any(${param(ids)}::uuid[])`);
}

/** The columns of the staging table, in the order each staged CSV line gives them. */
export const stagedInspectionColumns = [
  'row_no',
  'id',
  'occurred_at',
  'local_date',
  'level',
  'usdot_number',
  'report_number',
  'report_state',
  'vehicle_type',
  'lat',
  'lon',
  'outreach_given',
  'red_flags',
  'action',
  'notes',
  'officer_id',
  'source',
  'request_hash',
] as const;

/**
 * A staging table of the session's own (dropped with `dropInspectionStaging`, or with the
 * session), which the import's checked rows are copied into. It outlives each transaction, so
 * that rows are applied in batches of short ones; on PGlite, whose one session every request
 * shares, its name is the import's alone. The row number is its key: batches are ranges of it.
 */
export async function createInspectionStaging(
  db: Executor,
  name: string,
): Promise<{ table: SQL; target: string }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a staging table name: ${name}`);
  const table = sql.raw(name);
  await db.execute(sql`create temp table ${table} (
    row_no integer primary key, id uuid, occurred_at timestamptz not null, local_date date not null,
    level text not null, usdot_number text, report_number text, report_state text,
    vehicle_type text, lat double precision, lon double precision, outreach_given boolean not null,
    red_flags text[] not null, action text not null, notes text not null, officer_id uuid,
    source text not null, request_hash text not null
  )`);
  return { table, target: `${name} (${stagedInspectionColumns.join(', ')})` };
}

export async function dropInspectionStaging(db: Executor, table: SQL): Promise<void> {
  await db.execute(sql`drop table if exists ${table}`);
}

/** The first and last row numbers staged, or null when none was. */
export async function stagedRowRange(
  db: Executor,
  table: SQL,
): Promise<{ first: number; last: number } | null> {
  const result = await db.execute<{ first: number | null; last: number | null }>(
    sql`select min(row_no) as first, max(row_no) as last from ${table}`,
  );
  const row = result.rows[0];
  if (row?.first === null || row?.first === undefined || row.last === null) return null;
  return { first: Number(row.first), last: Number(row.last) };
}

/** What became of the staged rows (applyStagedInspections). */
export interface StagedOutcome {
  added: number;
  matched: number;
  unchanged: number;
  /** File rows whose id another agency holds, or another kind of record: none was added. */
  taken: number[];
  /** File rows whose id another create took while the import ran: none was added. */
  lost: number[];
}

/**
 * Staged rows in (after, upTo] whose id the registry of record ids gives to another record:
 * another agency's, or another kind's (decision 0020). Such a row is refused, never added
 * beside it nor reported as the same.
 */
export async function stagedRowsOfOthersIds(
  db: Executor,
  table: SQL,
  scope: { agencyId: string; after: number; upTo: number },
): Promise<number[]> {
  const result = await db.execute<{ row_no: number }>(sql`
    select s.row_no from ${table} s
    join field_records f on f.id = s.id
    where s.row_no > ${scope.after} and s.row_no <= ${scope.upTo}
      and (f.agency_id <> ${scope.agencyId} or f.kind <> 'inspection')
    order by s.row_no`);
  return result.rows.map((r) => Number(r.row_no));
}

export async function deleteStagedRows(db: Executor, table: SQL, rows: number[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`delete from ${table} where row_no = any(${param(rows)}::int[])`);
}

/**
 * Adds the staged rows in (after, upTo] to the agency's inspections in one statement, and says
 * what became of them. A row whose id is already the agency's inspection adds nothing, as does a
 * later row of the range with the same id; a row whose id another agency holds, or another kind
 * of record, is taken, and adds nothing; a state row whose report number the agency already has
 * joins it (matched, when it is Milepost's own) or repeats it (unchanged), as does a later row of
 * the range with the same report number (earlier ranges are stored by then). Each new row takes
 * its id in the registry of record ids first (field_records), as a record's create does, so that
 * a concurrent create of the same id is decided by its key: the rows that lost such a race are
 * listed. Each new row goes to the open initiative whose dates hold its local date (the
 * latest-starting one), as records do.
 */
export async function applyStagedInspections(
  db: Executor,
  table: SQL,
  scope: { agencyId: string; actorId: string; after: number; upTo: number },
): Promise<StagedOutcome> {
  const result = await db.execute<{
    added: number;
    matched: number;
    unchanged: number;
    taken: number[] | null;
    lost: number[] | null;
  }>(sql`
    with classified as (
      select s.*,
        case
          when exists (select 1 from field_records f where f.id = s.id) then (
            select case when f.agency_id = ${scope.agencyId} and f.kind = 'inspection'
              then 'unchanged' else 'taken' end
            from field_records f where f.id = s.id)
          when s.source = 'state_import' and s.report_number is not null then (
            select case when bool_or(i.source = 'milepost') then 'matched' else 'unchanged' end
            from inspections i
            where i.agency_id = ${scope.agencyId} and i.deleted_at is null
              and i.report_number = s.report_number
            having count(*) > 0)
        end as outcome,
        case
          when s.source = 'state_import' and s.report_number is not null
            then row_number() over (partition by s.source, s.report_number order by s.row_no)
          when s.id is not null
            then row_number() over (partition by s.id order by s.row_no)
          else 1 end as nth
      from ${table} s
      where s.row_no > ${scope.after} and s.row_no <= ${scope.upTo}
    ),
    fresh as (
      select c.*, coalesce(c.id, gen_random_uuid()) as new_id
      from classified c where c.outcome is null and c.nth = 1
    ),
    registered as (
      insert into field_records (id, agency_id, kind)
      select new_id, ${scope.agencyId}, 'inspection' from fresh
      on conflict (id) do nothing
      returning id
    ),
    inserted as (
      insert into inspections (id, agency_id, initiative_id, officer_id, occurred_at, local_date,
        notes, created_by, request_hash, lat, lon, level, usdot_number, report_number,
        report_state, vehicle_type, outreach_given, red_flags, action, source)
      select r.id, ${scope.agencyId},
        ${openInitiativeOn(sql`${scope.agencyId}::uuid`, sql`c.local_date`)},
        c.officer_id, c.occurred_at, c.local_date, c.notes, ${scope.actorId}, c.request_hash,
        c.lat, c.lon, c.level, c.usdot_number, c.report_number, c.report_state, c.vehicle_type,
        c.outreach_given, c.red_flags, c.action, c.source
      from fresh c join registered r on r.id = c.new_id
      returning 1
    )
    select (select count(*) from inserted)::int as added,
      count(*) filter (where outcome = 'matched')::int as matched,
      count(*) filter (where outcome = 'unchanged' or (outcome is null and nth > 1))::int
        as unchanged,
      array_agg(row_no order by row_no) filter (where outcome = 'taken') as taken,
      (select array_agg(c.row_no order by c.row_no) from fresh c
        where not exists (select 1 from registered r where r.id = c.new_id)) as lost
    from classified`);
  const row = result.rows[0];
  return {
    added: Number(row?.added ?? 0),
    matched: Number(row?.matched ?? 0),
    unchanged: Number(row?.unchanged ?? 0),
    taken: (row?.taken ?? []).map(Number),
    lost: (row?.lost ?? []).map(Number),
  };
}

export async function agencyUserIds(db: Executor, agencyId: string): Promise<Set<string>> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.agencyId, agencyId));
  return new Set(rows.map((r) => r.id));
}
