import type { Executor } from '#db/client.ts';
import { actionsTaken, labelOf, materialKinds, redFlags } from '#shared/catalogues/field.ts';
import { nationalHotlines } from '#shared/catalogues/hotlines.ts';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import { parsePeriod } from '#shared/statistics.ts';
import type { RequestContext } from '../../context.ts';
import { findOrFail, ValidationError } from '../../errors.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { getInitiative } from '../initiatives/initiatives.service.ts';
import { listMetrics } from '../metrics/metrics.service.ts';
import { findSeriesWithObservations } from '../statistics/statistics.service.ts';
import { summarizeInitiative } from '../summary/summary.service.ts';
import { draftNewsRelease, type NewsRelease, type QuotedStatistic } from './news-release.ts';
import { placeLabels } from './reports.repository.ts';

/**
 * The after-action report of one of the agency's initiatives. Its figures come from the same
 * summary as the dashboard's, so the two always agree; every format is rendered from it.
 */
export async function buildInitiativeReport(
  db: Executor,
  ctx: RequestContext,
  initiativeId: string,
): Promise<AfterActionReport> {
  const initiative = await getInitiative(db, ctx, initiativeId);
  const [agency, summary, metrics] = await Promise.all([
    findAgency(db, ctx.actor.agencyId),
    summarizeInitiative(db, ctx, initiativeId),
    listMetrics(db, ctx),
  ]);
  const { id: agencyId, name, timeZone } = findOrFail(agency, 'agency', ctx.actor.agencyId);
  const goals = new Map(summary.goals.map((g) => [g.metric, g]));
  const totals = metrics
    .map((metric) => {
      const goal = goals.get(metric.key);
      return {
        metric: metric.key,
        label: metric.label,
        value: summary.totals[metric.key] ?? 0,
        goal: goal?.goal ?? null,
        progress: goal?.progress ?? null,
      };
    })
    .filter((total) => total.value !== 0 || total.goal !== null);

  const targets = new Set(initiative.targetPlaceIds);
  const labels = new Map(
    (
      await placeLabels(db, [...new Set([...targets, ...summary.byPlace.map((p) => p.placeId)])])
    ).map((p) => [p.id, p]),
  );
  const visited = summary.byPlace.map((p) => ({
    ...p,
    kind: labels.get(p.placeId)?.kind ?? 'other',
    target: targets.has(p.placeId),
  }));
  const notVisited = [...targets]
    .filter((id) => !summary.byPlace.some((p) => p.placeId === id))
    .map((placeId) => ({
      placeId,
      name: labels.get(placeId)?.name ?? placeId,
      kind: labels.get(placeId)?.kind ?? 'other',
      target: true,
      inspections: 0,
      outreachVisits: 0,
      materialsHandedOut: 0,
      peopleReached: 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    generatedAt: new Date().toISOString(),
    agency: { id: agencyId, name, timeZone },
    initiative: {
      id: initiative.id,
      name: initiative.name,
      description: initiative.description,
      startsOn: initiative.startsOn,
      endsOn: initiative.endsOn,
      status: initiative.status,
    },
    narrative: initiative.reportNarrative,
    totals,
    inspections: summary.inspections,
    byDay: summary.byDay,
    byOfficer: summary.byOfficer,
    byMaterial: summary.byMaterial.map((m) => ({ ...m, label: labelOf(materialKinds, m.kind) })),
    places: [...visited, ...notVisited],
    redFlags: summary.byRedFlag.map((f) => ({ ...f, label: labelOf(redFlags, f.code) })),
    actions: summary.byAction.map((a) => ({ ...a, label: labelOf(actionsTaken, a.code) })),
  };
}

/**
 * The reference statistics a release quotes, from `key` (the latest period) or `key@PERIOD`;
 * a choice that names no stored figure is refused, naming it.
 */
export async function quotedStatistics(
  db: Executor,
  choices: string[],
): Promise<QuotedStatistic[]> {
  const quoted: QuotedStatistic[] = [];
  for (const choice of choices) {
    const [key = '', label] = choice.split('@');
    const series = await findSeriesWithObservations(db, key);
    if (!series) throw ValidationError.field('statistics', `${key} is not a reference series`);
    const latest = series.observations.filter((o) => !o.superseded);
    const period = label === undefined ? undefined : parsePeriod(label)?.label;
    const observation =
      label === undefined
        ? (latest.filter((o) => o.periodKind !== 'range').at(-1) ?? latest.at(-1))
        : latest.find((o) => o.period === period);
    if (!observation) {
      throw ValidationError.field(
        'statistics',
        `${choice}: the series has no figure for that period (it has ${latest.map((o) => o.period).join(', ') || 'none'})`,
      );
    }
    quoted.push({ sentence: series.sentence, unit: series.unit, observation });
  }
  return quoted;
}

/** The news-release draft of an initiative, quoting the chosen reference statistics. */
export async function buildNewsRelease(
  db: Executor,
  ctx: RequestContext,
  initiativeId: string,
  choices: string[],
): Promise<NewsRelease> {
  const statistics = await quotedStatistics(db, choices);
  const report = await buildInitiativeReport(db, ctx, initiativeId);
  const agency = findOrFail(await findAgency(db, ctx.actor.agencyId), 'agency', ctx.actor.agencyId);
  const national = nationalHotlines[agency.country];
  const hotlines = [
    {
      label: national.label,
      number: national.text ? `${national.number} (or text ${national.text})` : national.number,
    },
    ...agency.hotlines.map((h) => ({ label: h.label, number: h.number })),
  ];
  return draftNewsRelease(report, statistics, hotlines);
}
