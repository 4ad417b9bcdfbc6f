import type { Executor } from '#db/client.ts';
import { materialKinds as materialKindCatalogue } from '#shared/catalogues/field.ts';
import { metricKeys } from '#shared/catalogues/metrics.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import { roleHasPermission } from '#shared/roles.ts';
import type { RequestContext } from '../../context.ts';
import { requireInitiative } from '../initiatives/initiatives.service.ts';
import { agencyMetricKeys } from '../metrics/metrics.service.ts';
import { materialKinds, namesOf, type SummaryScope, tallies } from './summary.repository.ts';

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

/** Which count of a day, officer or place each tally metric adds to. */
const breakdownField: Record<string, keyof Counts> = {
  inspections: 'inspections',
  outreach_visits: 'outreachVisits',
  material: 'materialsHandedOut',
  activity: 'activities',
  people_reached: 'peopleReached',
};

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
  const [rows, materials, ownMetrics] = await Promise.all([
    tallies(db, scope),
    materialKinds(db, scope.agencyId),
    agencyMetricKeys(db, scope.agencyId),
  ]);
  const materialOf = new Map(materials.map((m) => [m.id, m]));
  const totals: Record<string, number> = Object.fromEntries(
    [...metricKeys, ...ownMetrics].map((key) => [key, 0]),
  );
  const tallyFor = { day: new Tally(), officer: new Tally(), place: new Tally() } as const;
  const inspections = { recorded: 0, imported: 0 };
  const byAction: { code: string; count: number }[] = [];
  const byRedFlag: { code: string; count: number }[] = [];
  const byMaterial = new Map<string, Summary['byMaterial'][number]>();

  for (const row of rows) {
    const value = toNumber(row.value);
    if (row.grouping !== 'detail') {
      const field = breakdownField[row.metric];
      // Activities have no place to be counted at.
      if (!field || (row.grouping === 'place' && row.metric === 'activity')) continue;
      const key =
        row.grouping === 'day'
          ? row.local_date
          : row.grouping === 'officer'
            ? row.officer_id
            : row.place_id;
      tallyFor[row.grouping].add(key, field, value);
      continue;
    }
    const detail = row.detail ?? '';
    switch (row.metric) {
      case 'inspections':
        inspections[detail === 'state_import' ? 'imported' : 'recorded'] += value;
        totals.inspections = (totals.inspections ?? 0) + value;
        break;
      case 'action':
        byAction.push({ code: detail, count: value });
        break;
      case 'red_flag':
        byRedFlag.push({ code: detail, count: value });
        break;
      case 'activity':
        totals[detail] = (totals[detail] ?? 0) + value;
        break;
      case 'outreach_visits':
        totals.outreach_visits = value;
        totals.places_visited = toNumber(row.places);
        break;
      case 'material': {
        const material = materialOf.get(detail);
        const kind = material?.kind ?? 'other';
        const language = material?.language ?? '';
        const key = `${kind}\u0000${language}`;
        const entry = byMaterial.get(key) ?? { kind, language, quantity: 0 };
        entry.quantity += value;
        byMaterial.set(key, entry);
        const metric = materialKindCatalogue.find((k) => k.code === kind)?.metric;
        if (metric) totals[metric] = (totals[metric] ?? 0) + value;
        totals.materials_handed_out = (totals.materials_handed_out ?? 0) + value;
        break;
      }
      default:
        // inspections_with_outreach, red_flag_observations, referrals, people_reached
        totals[row.metric] = (totals[row.metric] ?? 0) + value;
    }
  }
  const withOutreach = totals.inspections_with_outreach ?? 0;
  const allInspections = inspections.recorded + inspections.imported;
  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
  const officers = tallyFor.officer;
  const places = tallyFor.place;
  const days = tallyFor.day;

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
      ...inspections,
      withOutreach,
      shareWithOutreach: allInspections > 0 ? withOutreach / allInspections : null,
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
    byMaterial: [...byMaterial.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.language.localeCompare(b.language),
    ),
    byRedFlag: byRedFlag.sort(byCode),
    byAction: byAction.sort(byCode),
  };
}

/**
 * What of a summary the actor sees: everything, for those who watch the squad; an officer the
 * agency's totals and breakdowns, and of the per-officer breakdown their own line alone.
 */
function visibleTo(ctx: RequestContext, summary: Summary): Summary {
  if (roleHasPermission(ctx.actor.role, 'squad:read')) return summary;
  return {
    ...summary,
    byOfficer: summary.byOfficer.filter((o) => o.officerId === ctx.actor.userId),
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
  return visibleTo(ctx, {
    scope: { initiativeId, from: initiative.startsOn, to: initiative.endsOn },
    goals,
    ...summary,
  });
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
  return visibleTo(ctx, { scope: { initiativeId: null, ...range }, goals: [], ...summary });
}
