import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';

/**
 * The queries behind a summary. They read record_tallies, the running counts that triggers keep
 * in step with every record (migration 0004), so a summary costs the same for a thousand
 * records as for a million. Each takes the same scope: the agency, and an initiative or a range
 * of local dates.
 */
export interface SummaryScope {
  agencyId: string;
  initiativeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function scopeOf(scope: SummaryScope): SQL {
  return sql.join(
    [
      sql`t.agency_id = ${scope.agencyId}`,
      scope.initiativeId ? sql`t.initiative_id = ${scope.initiativeId}` : undefined,
      scope.from ? sql`t.local_date >= ${scope.from}` : undefined,
      scope.to ? sql`t.local_date <= ${scope.to}` : undefined,
    ].filter((part): part is SQL => part !== undefined),
    sql` and `,
  );
}

async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  return (await db.execute<Record<string, unknown>>(query)).rows as T[];
}

/** Which breakdown a grouped row belongs to: by the metric's own detail, day, officer or place. */
export type Grouping = 'detail' | 'day' | 'officer' | 'place';

export interface TallyRow {
  grouping: Grouping;
  /** See record_tallies.metric. */
  metric: string;
  detail: string | null;
  local_date: string | null;
  officer_id: string | null;
  place_id: string | null;
  /** A bigint: the driver hands it over as text. */
  value: string | number;
  /** Distinct places among the rows of a `detail` group (places visited). */
  places: number;
}

/** Every metric in scope, by detail, by day, by officer and by place, from one scan. */
export function tallies(db: Executor, scope: SummaryScope) {
  return rows<TallyRow>(
    db,
    sql`select
      case when grouping(t.detail) = 0 then 'detail'
        when grouping(t.local_date) = 0 then 'day'
        when grouping(t.officer_id) = 0 then 'officer'
        else 'place' end as grouping,
      t.metric, t.detail, t.local_date::text as local_date, t.officer_id, t.place_id,
      sum(t.value) as value,
      count(distinct t.place_id) filter (where t.value > 0)::int as places
    from record_tallies t where ${scopeOf(scope)}
    group by grouping sets ((t.metric, t.detail), (t.metric, t.local_date), (t.metric, t.officer_id), (t.metric, t.place_id))
    having sum(t.value) <> 0`,
  );
}

/** Kind and language of the agency's materials, deleted ones included (old lines name them). */
export function materialKinds(db: Executor, agencyId: string) {
  return rows<{ id: string; kind: string; language: string }>(
    db,
    sql`select id, kind, language from materials where agency_id = ${agencyId}`,
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
