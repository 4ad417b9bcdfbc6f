import type { Executor } from '#db/client.ts';
import { materialKinds } from '#shared/catalogues/field.ts';
import { activityKinds, metricKeys } from '#shared/catalogues/metrics.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import type { RequestContext } from '../../context.ts';
import { requireInitiative } from '../initiatives/initiatives.service.ts';
import {
  activityAggregates,
  inspectionAggregates,
  materialAggregates,
  namesOf,
  redFlagCounts,
  type SummaryScope,
  visitAggregates,
} from './summary.repository.ts';

const toNumber = (value: unknown) => Number(value ?? 0);

interface Counts {
  inspections: number;
  outreachVisits: number;
  materialsHandedOut: number;
  activities: number;
  peopleReached: number;
}

const emptyCounts = (): Counts => ({
  inspections: 0,
  outreachVisits: 0,
  materialsHandedOut: 0,
  activities: 0,
  peopleReached: 0,
});

/** Counts keyed by day, officer or place, created on first use. */
class Tally {
  readonly byKey = new Map<string, Counts>();
  add(key: string | null, field: keyof Counts, value: unknown): void {
    if (key === null) return;
    const counts = this.byKey.get(key) ?? emptyCounts();
    counts[field] += toNumber(value);
    this.byKey.set(key, counts);
  }
}

/** Every metric of the catalogue, and the breakdowns a dashboard and a report show. */
export async function summarize(
  db: Executor,
  scope: SummaryScope,
): Promise<Omit<Summary, 'goals' | 'scope'>> {
  const [inspections, visits, activities, materials, redFlags] = await Promise.all([
    inspectionAggregates(db, scope),
    visitAggregates(db, scope),
    activityAggregates(db, scope),
    materialAggregates(db, scope),
    redFlagCounts(db, scope),
  ]);
  const totals: Record<string, number> = Object.fromEntries(metricKeys.map((key) => [key, 0]));
  const days = new Tally();
  const officers = new Tally();
  const places = new Tally();
  const tallyFor = { day: days, officer: officers, place: places } as const;
  const keyOf = (row: {
    grouping: string;
    local_date: string | null;
    officer_id: string | null;
    place_id: string | null;
  }) =>
    row.grouping === 'day'
      ? row.local_date
      : row.grouping === 'officer'
        ? row.officer_id
        : row.place_id;

  let recorded = 0;
  let imported = 0;
  let withOutreach = 0;
  const byAction: { code: string; count: number }[] = [];
  for (const row of inspections) {
    const all = toNumber(row.recorded) + toNumber(row.imported);
    if (row.grouping === 'total') {
      recorded = toNumber(row.recorded);
      imported = toNumber(row.imported);
      withOutreach = toNumber(row.with_outreach);
      totals.inspections = all;
      totals.inspections_with_outreach = withOutreach;
      totals.red_flag_observations = toNumber(row.with_red_flags);
      totals.referrals = toNumber(row.referrals);
    } else if (row.grouping === 'action') {
      // Actions are what officers did: imported state records have none to report.
      if (toNumber(row.recorded) > 0 && row.action)
        byAction.push({ code: row.action, count: toNumber(row.recorded) });
    } else {
      tallyFor[row.grouping as 'day' | 'officer' | 'place'].add(keyOf(row), 'inspections', all);
    }
  }
  for (const row of visits) {
    if (row.grouping === 'total') {
      totals.outreach_visits = toNumber(row.visits);
      totals.places_visited = toNumber(row.places);
      totals.people_reached = toNumber(row.people);
    } else {
      const tally = tallyFor[row.grouping as 'day' | 'officer' | 'place'];
      tally.add(keyOf(row), 'outreachVisits', row.visits);
      tally.add(keyOf(row), 'peopleReached', row.people);
    }
  }
  for (const row of activities) {
    if (row.grouping === 'kind') {
      if (row.kind && (activityKinds as readonly string[]).includes(row.kind))
        totals[row.kind] = toNumber(row.total);
    } else {
      tallyFor[row.grouping as 'day' | 'officer'].add(keyOf(row), 'activities', row.total);
    }
  }
  const byMaterial: Summary['byMaterial'] = [];
  for (const row of materials) {
    if (row.grouping === 'kind') {
      const quantity = toNumber(row.quantity);
      byMaterial.push({ kind: row.kind ?? 'other', language: row.language ?? '', quantity });
      const metric = materialKinds.find((k) => k.code === row.kind)?.metric;
      if (metric) totals[metric] = (totals[metric] ?? 0) + quantity;
      totals.materials_handed_out = (totals.materials_handed_out ?? 0) + quantity;
    } else {
      tallyFor[row.grouping as 'day' | 'officer' | 'place'].add(
        keyOf(row),
        'materialsHandedOut',
        row.quantity,
      );
    }
  }
  byMaterial.sort((a, b) => a.kind.localeCompare(b.kind) || a.language.localeCompare(b.language));
  byAction.sort((a, b) => a.code.localeCompare(b.code));

  const [officerNames, placeNames] = await namesOf(
    db,
    [...officers.byKey.keys()],
    [...places.byKey.keys()],
  );
  const officerName = new Map(officerNames.map((o) => [o.id, o.name]));
  const placeName = new Map(placeNames.map((p) => [p.id, p.name]));
  const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
    a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

  return {
    totals,
    inspections: {
      recorded,
      imported,
      withOutreach,
      shareWithOutreach: recorded + imported > 0 ? withOutreach / (recorded + imported) : null,
    },
    byDay: [...days.byKey]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, c]) => ({
        date,
        inspections: c.inspections,
        outreachVisits: c.outreachVisits,
        materialsHandedOut: c.materialsHandedOut,
        activities: c.activities,
      })),
    byOfficer: [...officers.byKey]
      .map(([id, c]) => ({ id, name: officerName.get(id) ?? id, c }))
      .sort(byName)
      .map(({ id, name, c }) => ({
        officerId: id,
        name,
        inspections: c.inspections,
        outreachVisits: c.outreachVisits,
        materialsHandedOut: c.materialsHandedOut,
        activities: c.activities,
      })),
    byPlace: [...places.byKey]
      .map(([id, c]) => ({ id, name: placeName.get(id) ?? id, c }))
      .sort(byName)
      .map(({ id, name, c }) => ({
        placeId: id,
        name,
        inspections: c.inspections,
        outreachVisits: c.outreachVisits,
        materialsHandedOut: c.materialsHandedOut,
        peopleReached: c.peopleReached,
      })),
    byMaterial,
    byRedFlag: redFlags.map((r) => ({ code: r.code, count: toNumber(r.count) })),
    byAction,
  };
}

export async function summarizeInitiative(
  db: Executor,
  ctx: RequestContext,
  initiativeId: string,
): Promise<Summary> {
  const initiative = await requireInitiative(db, ctx, initiativeId);
  const summary = await summarize(db, { agencyId: ctx.actor.agencyId, initiativeId });
  const goals = Object.entries(initiative.goals).map(([metric, goal]) => {
    const actual = summary.totals[metric] ?? 0;
    return { metric, goal, actual, progress: goal > 0 ? actual / goal : null };
  });
  return {
    scope: { initiativeId, from: initiative.startsOn, to: initiative.endsOn },
    goals,
    ...summary,
  };
}

export async function summarizeRange(
  db: Executor,
  ctx: RequestContext,
  range: { from: string; to: string },
): Promise<Summary> {
  const summary = await summarize(db, {
    agencyId: ctx.actor.agencyId,
    from: range.from,
    to: range.to,
  });
  return { scope: { initiativeId: null, ...range }, goals: [], ...summary };
}
