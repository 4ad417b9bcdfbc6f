import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';

/**
 * The aggregate queries behind a summary. Each takes the same scope: the agency, and either an
 * initiative or a range of local dates. Deleted records never count.
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

export function inspectionTotals(db: Executor, scope: SummaryScope) {
  return rows<{
    recorded: number;
    imported: number;
    with_outreach: number;
    with_red_flags: number;
    referrals: number;
  }>(
    db,
    sql`select
      count(*) filter (where i.source = 'milepost')::int as recorded,
      count(*) filter (where i.source = 'state_import')::int as imported,
      count(*) filter (where i.outreach_given)::int as with_outreach,
      count(*) filter (where cardinality(i.red_flags) > 0)::int as with_red_flags,
      count(*) filter (where i.action <> 'none')::int as referrals
    from inspections i where ${scopeOf('i', scope)}`,
  );
}

export function visitTotals(db: Executor, scope: SummaryScope) {
  return rows<{ visits: number; places: number; people: number; posters_put_up: number }>(
    db,
    sql`select count(*)::int as visits,
      count(distinct v.place_id)::int as places,
      coalesce(sum(v.reached_drivers + v.reached_staff + v.reached_public), 0)::int as people,
      coalesce(sum(v.posters_put_up), 0)::int as posters_put_up
    from outreach_visits v where ${scopeOf('v', scope)}`,
  );
}

export function activityTotals(db: Executor, scope: SummaryScope) {
  return rows<{ kind: string; total: number }>(
    db,
    sql`select a.kind, sum(a.count)::int as total from activities a where ${scopeOf('a', scope)} group by a.kind`,
  );
}

/** Material lines of live inspections and visits in scope, as one relation `r`. */
function scopedRecords(scope: SummaryScope): SQL {
  return sql`(
    select i.id, i.officer_id, i.place_id, i.local_date from inspections i where ${scopeOf('i', scope)}
    union all
    select v.id, v.officer_id, v.place_id, v.local_date from outreach_visits v where ${scopeOf('v', scope)}
  )`;
}

export function materialTotals(db: Executor, scope: SummaryScope) {
  return rows<{ kind: string; language: string; quantity: number }>(
    db,
    sql`select m.kind, m.language, sum(rm.quantity)::int as quantity
    from ${scopedRecords(scope)} r
    join record_materials rm on rm.record_id = r.id
    join materials m on m.id = rm.material_id
    group by m.kind, m.language order by m.kind, m.language`,
  );
}

export function countsByDay(db: Executor, scope: SummaryScope) {
  return rows<{
    date: string;
    inspections: number;
    visits: number;
    materials: number;
    activities: number;
  }>(
    db,
    sql`with
      i as (select i.local_date as d, count(*)::int as n from inspections i where ${scopeOf('i', scope)} group by 1),
      v as (select v.local_date as d, count(*)::int as n from outreach_visits v where ${scopeOf('v', scope)} group by 1),
      m as (select r.local_date as d, sum(rm.quantity)::int as n from ${scopedRecords(scope)} r
            join record_materials rm on rm.record_id = r.id group by 1),
      a as (select a.local_date as d, sum(a.count)::int as n from activities a where ${scopeOf('a', scope)} group by 1),
      days as (select d from i union select d from v union select d from m union select d from a)
    select days.d::text as date, coalesce(i.n, 0) as inspections, coalesce(v.n, 0) as visits,
      coalesce(m.n, 0) as materials, coalesce(a.n, 0) as activities
    from days left join i using (d) left join v using (d) left join m using (d) left join a using (d)
    order by days.d`,
  );
}

export function countsByOfficer(db: Executor, scope: SummaryScope) {
  return rows<{
    officer_id: string;
    name: string;
    inspections: number;
    visits: number;
    materials: number;
    activities: number;
  }>(
    db,
    sql`with
      i as (select i.officer_id as o, count(*)::int as n from inspections i where ${scopeOf('i', scope)} group by 1),
      v as (select v.officer_id as o, count(*)::int as n from outreach_visits v where ${scopeOf('v', scope)} group by 1),
      m as (select r.officer_id as o, sum(rm.quantity)::int as n from ${scopedRecords(scope)} r
            join record_materials rm on rm.record_id = r.id group by 1),
      a as (select a.officer_id as o, sum(a.count)::int as n from activities a where ${scopeOf('a', scope)} group by 1),
      officers as (select o from i union select o from v union select o from m union select o from a)
    select officers.o as officer_id, u.display_name as name, coalesce(i.n, 0) as inspections,
      coalesce(v.n, 0) as visits, coalesce(m.n, 0) as materials, coalesce(a.n, 0) as activities
    from officers join users u on u.id = officers.o
      left join i using (o) left join v using (o) left join m using (o) left join a using (o)
    order by u.display_name, officers.o`,
  );
}

export function countsByPlace(db: Executor, scope: SummaryScope) {
  return rows<{
    place_id: string;
    name: string;
    inspections: number;
    visits: number;
    materials: number;
    people: number;
  }>(
    db,
    sql`with
      i as (select i.place_id as p, count(*)::int as n from inspections i
            where ${scopeOf('i', scope)} and i.place_id is not null group by 1),
      v as (select v.place_id as p, count(*)::int as n,
              sum(v.reached_drivers + v.reached_staff + v.reached_public)::int as people
            from outreach_visits v where ${scopeOf('v', scope)} and v.place_id is not null group by 1),
      m as (select r.place_id as p, sum(rm.quantity)::int as n from ${scopedRecords(scope)} r
            join record_materials rm on rm.record_id = r.id where r.place_id is not null group by 1),
      ps as (select p from i union select p from v union select p from m)
    select ps.p as place_id, pl.name, coalesce(i.n, 0) as inspections, coalesce(v.n, 0) as visits,
      coalesce(m.n, 0) as materials, coalesce(v.people, 0) as people
    from ps join places pl on pl.id = ps.p left join i using (p) left join v using (p) left join m using (p)
    order by pl.name, ps.p`,
  );
}

export function countsByRedFlag(db: Executor, scope: SummaryScope) {
  return rows<{ code: string; count: number }>(
    db,
    sql`select flag as code, count(*)::int as count
    from inspections i, unnest(i.red_flags) as flag
    where ${scopeOf('i', scope)} group by flag order by flag`,
  );
}

export function countsByAction(db: Executor, scope: SummaryScope) {
  return rows<{ code: string; count: number }>(
    db,
    sql`select i.action as code, count(*)::int as count from inspections i
    where ${scopeOf('i', scope)} and i.source = 'milepost' group by i.action order by i.action`,
  );
}
