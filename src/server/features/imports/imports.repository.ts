import { eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { users } from '#db/schema.ts';
import { openInitiativeOn } from '../../records/field-records.repository.ts';

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

/** A table for this transaction alone, which the import's checked rows are copied into. */
export async function createInspectionStaging(db: Executor): Promise<string> {
  await db.execute(sql`create temp table import_inspections (
    row_no integer not null, id uuid, occurred_at timestamptz not null, local_date date not null,
    level text not null, usdot_number text, report_number text, report_state text,
    vehicle_type text, lat double precision, lon double precision, outreach_given boolean not null,
    red_flags text[] not null, action text not null, notes text not null, officer_id uuid,
    source text not null, request_hash text not null
  ) on commit drop`);
  return `import_inspections (${stagedInspectionColumns.join(', ')})`;
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
 * Adds the staged rows to the agency's inspections in one statement, and says what became of
 * them. A row whose id is already the agency's inspection adds nothing, as does a later row of
 * the file with the same id; a row whose id another agency holds, or another kind of record, is
 * taken, and adds nothing; a state row whose report number the agency already has joins it
 * (matched, when it is Milepost's own) or repeats it (unchanged), as does a later row of the
 * file with the same report number. Each new row takes its id in the registry of record ids
 * first (field_records), as a record's create does, so that a concurrent create of the same id
 * is decided by its key: the rows that lost such a race are listed. Each new row goes to the
 * open initiative whose dates hold its local date (the latest-starting one), as records do.
 */
export async function applyStagedInspections(
  db: Executor,
  scope: { agencyId: string; actorId: string },
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
          when s.id is not null then (
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
          when s.id is not null
            then row_number() over (partition by s.id order by s.row_no)
          when s.source = 'state_import' and s.report_number is not null
            then row_number() over (partition by s.source, s.report_number order by s.row_no)
          else 1 end as nth
      from import_inspections s
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
