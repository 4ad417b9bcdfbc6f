import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';

/**
 * The aggregate queries behind a summary. Each reads its table once: GROUPING SETS give the
 * total and the breakdowns by day, officer and place from the same scan. Each takes the same
 * scope: the agency, and an initiative or a range of local dates. Deleted records never count.
 */
export interface SummaryScope {
  agencyId: string;
  initiativeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function scopeOf(alias: string, scope: SummaryScope): SQL {
  const t = sql.raw(alias);
  return sql.join(
    [
      sql`${t}.agency_id = ${scope.agencyId}`,
      sql`${t}.deleted_at is null`,
      scope.initiativeId ? sql`${t}.initiative_id = ${scope.initiativeId}` : undefined,
      scope.from ? sql`${t}.local_date >= ${scope.from}` : undefined,
      scope.to ? sql`${t}.local_date <= ${scope.to}` : undefined,
    ].filter((part): part is SQL => part !== undefined),
    sql` and `,
  );
}

async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  return (await db.execute<Record<string, unknown>>(query)).rows as T[];
}

/** Which breakdown a grouped row belongs to. */
export type Grouping = 'total' | 'day' | 'officer' | 'place' | 'action' | 'kind';

export interface GroupedRow {
  grouping: Grouping;
  local_date: string | null;
  officer_id: string | null;
  place_id: string | null;
}

/** Names the grouping set a row came from, of those by day, officer and (if asked) place. */
const groupingLabel = (alias: string, withPlace = true) => {
  const t = sql.raw(alias);
  return sql`case
    when grouping(${t}.local_date) = 0 then 'day'
    when grouping(${t}.officer_id) = 0 then 'officer'
    ${withPlace ? sql`when grouping(${t}.place_id) = 0 then 'place'` : sql``}
    else 'total' end`;
};

export function inspectionAggregates(db: Executor, scope: SummaryScope) {
  return rows<
    GroupedRow & {
      action: string | null;
      recorded: number;
      imported: number;
      with_outreach: number;
      with_red_flags: number;
      referrals: number;
    }
  >(
    db,
    sql`select
      case when grouping(i.action) = 0 then 'action' else ${groupingLabel('i')} end as grouping,
      i.local_date::text as local_date, i.officer_id, i.place_id, i.action,
      count(*) filter (where i.source = 'milepost')::int as recorded,
      count(*) filter (where i.source = 'state_import')::int as imported,
      count(*) filter (where i.outreach_given)::int as with_outreach,
      count(*) filter (where cardinality(i.red_flags) > 0)::int as with_red_flags,
      count(*) filter (where i.action <> 'none')::int as referrals
    from inspections i where ${scopeOf('i', scope)}
    group by grouping sets ((), (i.local_date), (i.officer_id), (i.place_id), (i.action))`,
  );
}

export function visitAggregates(db: Executor, scope: SummaryScope) {
  return rows<GroupedRow & { visits: number; places: number; people: number }>(
    db,
    sql`select ${groupingLabel('v')} as grouping,
      v.local_date::text as local_date, v.officer_id, v.place_id,
      count(*)::int as visits,
      count(distinct v.place_id)::int as places,
      coalesce(sum(v.reached_drivers + v.reached_staff + v.reached_public), 0)::int as people
    from outreach_visits v where ${scopeOf('v', scope)}
    group by grouping sets ((), (v.local_date), (v.officer_id), (v.place_id))`,
  );
}

export function activityAggregates(db: Executor, scope: SummaryScope) {
  return rows<GroupedRow & { kind: string | null; total: number }>(
    db,
    sql`select case when grouping(a.kind) = 0 then 'kind' else ${groupingLabel('a', false)} end as grouping,
      a.local_date::text as local_date, a.officer_id, null::uuid as place_id, a.kind, sum(a.count)::int as total
    from activities a where ${scopeOf('a', scope)}
    group by grouping sets ((a.kind), (a.local_date), (a.officer_id))`,
  );
}

/** Material handed out by live inspections and visits in scope: by kind and language, day, officer, place. */
export function materialAggregates(db: Executor, scope: SummaryScope) {
  return rows<GroupedRow & { kind: string | null; language: string | null; quantity: number }>(
    db,
    sql`with r as (
      select i.id, i.officer_id, i.place_id, i.local_date from inspections i where ${scopeOf('i', scope)}
      union all
      select v.id, v.officer_id, v.place_id, v.local_date from outreach_visits v where ${scopeOf('v', scope)}
    )
    select case when grouping(m.kind) = 0 then 'kind' else ${groupingLabel('r')} end as grouping,
      r.local_date::text as local_date, r.officer_id, r.place_id, m.kind, m.language,
      sum(rm.quantity)::int as quantity
    from r join record_materials rm on rm.record_id = r.id join materials m on m.id = rm.material_id
    group by grouping sets ((m.kind, m.language), (r.local_date), (r.officer_id), (r.place_id))`,
  );
}

export function redFlagCounts(db: Executor, scope: SummaryScope) {
  return rows<{ code: string; count: number }>(
    db,
    sql`select flag as code, count(*)::int as count
    from inspections i, unnest(i.red_flags) as flag
    where ${scopeOf('i', scope)} and cardinality(i.red_flags) > 0
    group by flag order by flag`,
  );
}

export function namesOf(db: Executor, officerIds: string[], placeIds: string[]) {
  return Promise.all([
    officerIds.length === 0
      ? Promise.resolve([] as { id: string; name: string }[])
      : rows<{ id: string; name: string }>(
          db,
          sql`select id, display_name as name from users where id in (${sql.join(
            officerIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        ),
    placeIds.length === 0
      ? Promise.resolve([] as { id: string; name: string }[])
      : rows<{ id: string; name: string }>(
          db,
          sql`select id, name from places where id in (${sql.join(
            placeIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        ),
  ]);
}
