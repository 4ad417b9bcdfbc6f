import type { Executor } from '#db/client.ts';
import { materialKinds } from '#shared/catalogues/field.ts';
import { activityKinds, metricKeys } from '#shared/catalogues/metrics.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import type { RequestContext } from '../../context.ts';
import { requireInitiative } from '../initiatives/initiatives.service.ts';
import {
  activityTotals,
  countsByAction,
  countsByDay,
  countsByOfficer,
  countsByPlace,
  countsByRedFlag,
  inspectionTotals,
  materialTotals,
  type SummaryScope,
  visitTotals,
} from './summary.repository.ts';

const toNumber = (value: unknown) => Number(value ?? 0);

/** Every metric of the catalogue, and the breakdowns a dashboard and a report show. */
export async function summarize(
  db: Executor,
  scope: SummaryScope,
): Promise<Omit<Summary, 'goals' | 'scope'>> {
  const [
    inspections,
    visits,
    activities,
    materials,
    byDay,
    byOfficer,
    byPlace,
    byRedFlag,
    byAction,
  ] = await Promise.all([
    inspectionTotals(db, scope),
    visitTotals(db, scope),
    activityTotals(db, scope),
    materialTotals(db, scope),
    countsByDay(db, scope),
    countsByOfficer(db, scope),
    countsByPlace(db, scope),
    countsByRedFlag(db, scope),
    countsByAction(db, scope),
  ]);
  const i = inspections[0];
  const v = visits[0];
  const totals: Record<string, number> = Object.fromEntries(metricKeys.map((key) => [key, 0]));
  const recorded = toNumber(i?.recorded);
  const imported = toNumber(i?.imported);
  const withOutreach = toNumber(i?.with_outreach);
  totals.inspections = recorded + imported;
  totals.inspections_with_outreach = withOutreach;
  totals.red_flag_observations = toNumber(i?.with_red_flags);
  totals.referrals = toNumber(i?.referrals);
  totals.outreach_visits = toNumber(v?.visits);
  totals.places_visited = toNumber(v?.places);
  totals.people_reached = toNumber(v?.people);
  for (const row of activities) {
    if ((activityKinds as readonly string[]).includes(row.kind))
      totals[row.kind] = toNumber(row.total);
  }
  for (const row of materials) {
    const metric = materialKinds.find((k) => k.code === row.kind)?.metric;
    if (metric) totals[metric] = (totals[metric] ?? 0) + toNumber(row.quantity);
    totals.materials_handed_out = (totals.materials_handed_out ?? 0) + toNumber(row.quantity);
  }
  return {
    totals,
    inspections: {
      recorded,
      imported,
      withOutreach,
      shareWithOutreach: recorded + imported > 0 ? withOutreach / (recorded + imported) : null,
    },
    byDay: byDay.map((d) => ({
      date: d.date,
      inspections: toNumber(d.inspections),
      outreachVisits: toNumber(d.visits),
      materialsHandedOut: toNumber(d.materials),
      activities: toNumber(d.activities),
    })),
    byOfficer: byOfficer.map((o) => ({
      officerId: o.officer_id,
      name: o.name,
      inspections: toNumber(o.inspections),
      outreachVisits: toNumber(o.visits),
      materialsHandedOut: toNumber(o.materials),
      activities: toNumber(o.activities),
    })),
    byPlace: byPlace.map((p) => ({
      placeId: p.place_id,
      name: p.name,
      inspections: toNumber(p.inspections),
      outreachVisits: toNumber(p.visits),
      materialsHandedOut: toNumber(p.materials),
      peopleReached: toNumber(p.people),
    })),
    byMaterial: materials.map((m) => ({
      kind: m.kind,
      language: m.language,
      quantity: toNumber(m.quantity),
    })),
    byRedFlag: byRedFlag.map((r) => ({ code: r.code, count: toNumber(r.count) })),
    byAction: byAction.map((r) => ({ code: r.code, count: toNumber(r.count) })),
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
