import { createHash } from 'node:crypto';
import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import type {
  CheckStatistic,
  CreateObservation,
  CreateSeries,
  DerivedFigure,
  DerivedQuery,
  Observation,
  SeriesWithObservations,
  StatisticCheck,
  StatisticSeries,
} from '#shared/contracts/statistics.ts';
import {
  agreesAtStatedPrecision,
  apNumber,
  apPercent,
  changeBetween,
  citationOf,
  describePeriod,
  type Period,
  parsePeriod,
  percentRounding,
  shareOf,
} from '#shared/statistics.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, findOrFail, ValidationError } from '../../errors.ts';
import { createOnce, fingerprint, withCreateRetry } from '../../records/idempotency.ts';
import { recordAudit, recordChange } from '../audit/audit.service.ts';
import { provenanceOf, referencePack } from './reference-pack.ts';
import {
  findObservation,
  findSeries,
  insertObservation,
  insertObservationsUnlessPresent,
  insertSeriesUnlessTaken,
  isSuperseded,
  listSeriesRows,
  lockLatestObservation,
  type ObservationRow,
  type ObservationState,
  observationRows,
  type SeriesRow,
} from './statistics.repository.ts';

function periodOf(label: string): Period {
  const period = parsePeriod(label);
  if (!period) throw new Error(`a stored period label does not parse: ${label}`);
  return period;
}

export function presentObservation(row: ObservationState): Observation {
  return {
    id: row.id,
    seriesKey: row.seriesKey,
    period: row.period,
    periodKind: row.periodKind,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    periodText: describePeriod(periodOf(row.period)),
    value: row.value,
    sourceOrganisation: row.sourceOrganisation,
    publication: row.publication,
    url: row.url,
    sourceTable: row.sourceTable,
    publishedOn: row.publishedOn,
    retrievedOn: row.retrievedOn,
    notes: row.notes,
    verified: row.verified,
    supersedes: row.supersedes,
    superseded: row.superseded,
    citation: citationOf(row),
    createdAt: row.createdAt.toISOString(),
  };
}

function presentSeries(row: SeriesRow): StatisticSeries {
  return {
    key: row.key,
    subject: row.subject,
    geography: row.geography,
    unit: row.unit,
    sentence: row.sentence,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Every series with its observations, revised ones included and marked. */
export async function listStatistics(db: Executor): Promise<SeriesWithObservations[]> {
  const [series, observations] = await Promise.all([listSeriesRows(db), observationRows(db)]);
  return series.map((s) => ({
    ...presentSeries(s),
    observations: observations.filter((o) => o.seriesKey === s.key).map(presentObservation),
  }));
}

export async function getStatisticSeries(
  db: Executor,
  key: string,
): Promise<SeriesWithObservations> {
  return findOrFail(await findSeriesWithObservations(db, key), 'statistic series', key);
}

/** A series with its observations, or undefined when there is none by that key. */
export async function findSeriesWithObservations(
  db: Executor,
  key: string,
): Promise<SeriesWithObservations | undefined> {
  const series = await findSeries(db, key);
  if (!series) return undefined;
  return {
    ...presentSeries(series),
    observations: (await observationRows(db, key)).map(presentObservation),
  };
}

/** The figures a series holds now: for each period, its latest observation. */
async function latestObservations(db: Executor, seriesKey: string): Promise<Observation[]> {
  return (await observationRows(db, seriesKey))
    .filter((o) => !o.superseded)
    .map(presentObservation);
}

/** Adds a series; the same key again with the same content is a replay, other content a 409. */
export function createSeries(
  db: Database,
  ctx: RequestContext,
  input: CreateSeries,
): Promise<{ series: StatisticSeries; created: boolean }> {
  return inTransaction(db, (tx) => storeSeries(tx, ctx, input));
}

/** createSeries in the caller's transaction. */
export async function storeSeries(
  tx: Executor,
  ctx: RequestContext,
  input: CreateSeries,
): Promise<{ series: StatisticSeries; created: boolean }> {
  const created = await insertSeriesUnlessTaken(tx, input);
  if (created) {
    const series = presentSeries(created);
    await recordChange(tx, ctx, {
      action: 'statistic_series.created',
      entityType: 'statistic_series',
      entityId: series.key,
      agencyId: ctx.actor.agencyId,
      after: series,
    });
    return { series, created: true };
  }
  const stored = findOrFail(await findSeries(tx, input.key), 'statistic series', input.key);
  const same =
    stored.subject === input.subject &&
    stored.geography === input.geography &&
    stored.unit === input.unit &&
    stored.sentence === input.sentence;
  if (!same) {
    throw new ConflictError(`A series with the key ${input.key} already exists.`, [
      { field: 'key', message: 'is already a series with other content' },
    ]);
  }
  return { series: presentSeries(stored), created: false };
}

function observationInsert(
  input: CreateObservation,
  extra: { requestHash: string; createdBy: string | null; supersedes: string | null },
) {
  const period = periodOf(input.period);
  return {
    id: input.id,
    seriesKey: input.seriesKey,
    period: period.label,
    periodKind: period.kind,
    periodStart: period.start,
    periodEnd: period.end,
    value: input.value,
    sourceOrganisation: input.sourceOrganisation,
    publication: input.publication,
    url: input.url,
    sourceTable: input.sourceTable,
    publishedOn: input.publishedOn,
    retrievedOn: input.retrievedOn,
    notes: input.notes,
    verified: input.verified,
    ...extra,
  };
}

/** Stores an observation in the caller's transaction: a revision when its period has one. */
async function storeObservation(
  tx: Executor,
  ctx: RequestContext,
  input: CreateObservation,
  hash = fingerprint(input),
): Promise<ObservationRow> {
  findOrFail(await findSeries(tx, input.seriesKey), 'statistic series', input.seriesKey);
  const latest = await lockLatestObservation(tx, input.seriesKey, input.period);
  return storeObservationAfter(tx, ctx, input, latest, hash);
}

/**
 * storeObservation once the caller knows the series exists and holds the lock on the period's
 * latest figure (`lockLatestObservation`), which the new one supersedes when there is one.
 */
export async function storeObservationAfter(
  tx: Executor,
  ctx: RequestContext,
  input: CreateObservation,
  latest: ObservationRow | undefined,
  hash = fingerprint(input),
): Promise<ObservationRow> {
  const row = await insertObservation(
    tx,
    observationInsert(input, {
      requestHash: hash,
      createdBy: ctx.actor.userId,
      supersedes: latest?.id ?? null,
    }),
  );
  await recordChange(tx, ctx, {
    action: latest ? 'statistic_observation.revised' : 'statistic_observation.created',
    entityType: 'statistic_observation',
    entityId: row.id,
    agencyId: ctx.actor.agencyId,
    before: latest ? presentObservation({ ...latest, superseded: true }) : null,
    after: presentObservation({ ...row, superseded: false }),
  });
  return row;
}

/**
 * Records a published figure. A figure for a period that already has one is a revision: it
 * supersedes the latest, which stays stored (and quotable as what was published then).
 */
export async function recordObservation(
  db: Database,
  ctx: RequestContext,
  input: CreateObservation,
): Promise<{ observation: Observation; created: boolean }> {
  const hash = fingerprint(input);
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'observation',
        // Reference statistics are shared by every agency: a replay is recognised by content.
        agencyId: '',
        hash,
        find: async () => {
          const row = await findObservation(tx, input.id);
          return row && { ...row, agencyId: '' };
        },
        insert: async () => ({
          ...(await storeObservation(tx, ctx, input, hash)),
          agencyId: '',
        }),
      });
      const superseded = !created && (await isSuperseded(tx, record.id));
      return { observation: presentObservation({ ...record, superseded }), created };
    }),
  );
}

const valueText = (o: Pick<Observation, 'value'>) => apNumber(o.value);
const sourceText = (o: Observation) => `${o.sourceOrganisation}, ${o.publication}`;

/**
 * Checks a stated figure against the stored one for its period. When they differ and the
 * stated value is another period's figure, says which (2,027 is FY2021's, not FY2022's). With
 * a stated change from an earlier period, recomputes it from the stored figures.
 */
export async function checkStatistic(db: Executor, input: CheckStatistic): Promise<StatisticCheck> {
  findOrFail(await findSeries(db, input.seriesKey), 'statistic series', input.seriesKey);
  const latest = await latestObservations(db, input.seriesKey);
  const period = periodOf(input.period);
  const stored = latest.find((o) => o.period === period.label) ?? null;
  const matchingPeriods = latest.filter(
    (o) => o.period !== period.label && o.value === input.value,
  );
  const stated = apNumber(input.value);
  const periodText = describePeriod(period);
  const sentences: string[] = [];
  let verdict: StatisticCheck['verdict'];
  if (stored && stored.value === input.value) {
    verdict = 'matches';
    sentences.push(`${stated} is the figure for ${periodText} (${sourceText(stored)}).`);
  } else if (stored) {
    verdict = 'differs';
    sentences.push(
      `${stated} is not the figure for ${periodText}: that is ${valueText(stored)} (${sourceText(stored)}).`,
    );
  } else {
    verdict = 'no_figure';
    sentences.push(`No figure for ${periodText} is stored in ${input.seriesKey}.`);
  }
  if (verdict !== 'matches') {
    for (const other of matchingPeriods) {
      sentences.push(`${stated} is the figure for ${other.periodText} (${sourceText(other)}).`);
    }
    if (matchingPeriods.length === 0 && verdict === 'differs') {
      sentences.push(`No other period of the series has ${stated}.`);
    }
  }

  let change: StatisticCheck['change'] = null;
  if (input.changeFrom !== undefined) {
    const from = requirePeriodFigure(latest, input.changeFrom, 'changeFrom');
    // The change the text means runs to the figure it quotes, whichever period that is.
    const to = (verdict === 'matches' ? stored : matchingPeriods[0]) ?? stored;
    if (!to) {
      throw ValidationError.field(
        'period',
        `has no figure in ${input.seriesKey}, and no period has ${stated}: no change to compute`,
      );
    }
    const computed = changeBetween(from.value, to.value);
    const statedPercent = input.statedChangePercent ?? null;
    const agrees =
      statedPercent === null || computed.percent === null
        ? null
        : agreesAtStatedPrecision(statedPercent, computed.percent);
    change = {
      from,
      to,
      absolute: computed.absolute,
      percent: computed.percent,
      rounding: computed.rounding,
      statedPercent,
      agrees,
    };
    const percentText =
      computed.percent === null ? 'not a percentage (from zero)' : signedPercent(computed.percent);
    let sentence = `From ${valueText(from)} (${from.periodText}) to ${valueText(to)} (${to.periodText}) is ${percentText}`;
    if (statedPercent !== null) {
      sentence += agrees
        ? `; the stated ${apPercent(statedPercent)} agrees`
        : `; the stated ${apPercent(statedPercent)} does not agree`;
    }
    sentences.push(`${sentence}.`);
  }

  return {
    verdict,
    message: sentences.join(' '),
    seriesKey: input.seriesKey,
    period: period.label,
    statedValue: input.value,
    stored,
    matchingPeriods,
    change,
  };
}

function signedPercent(percent: number): string {
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

/** The latest figure of a period, or a 400 naming the field and the periods there are. */
function requirePeriodFigure(latest: Observation[], label: string, field: string): Observation {
  const found = latest.find((o) => o.period === label);
  if (found) return found;
  const periods = latest.map((o) => o.period).join(', ') || 'none';
  throw ValidationError.field(field, `has no figure in the series (periods stored: ${periods})`);
}

/** The consecutive periods of one kind from `from` to `to`: FY2020, FY2021, FY2022. */
function periodsBetween(from: Period, to: Period): string[] | undefined {
  if (from.kind === 'range' || from.kind !== to.kind) return undefined;
  const year = (p: Period) => Number(p.label.replace('FY', ''));
  const labels: string[] = [];
  for (let y = year(from); y <= year(to); y++) {
    labels.push(from.kind === 'fiscal_year' ? `FY${y}` : String(y));
  }
  return labels;
}

/** A figure computed from stored observations: a change, a cumulative total or a share. */
export async function deriveFigure(db: Executor, query: DerivedQuery): Promise<DerivedFigure> {
  const series = findOrFail(await findSeries(db, query.series), 'statistic series', query.series);
  const latest = await latestObservations(db, query.series);
  if (query.kind === 'change') {
    const from = requirePeriodFigure(latest, query.from, 'from');
    const to = requirePeriodFigure(latest, query.to, 'to');
    const change = changeBetween(from.value, to.value);
    return {
      kind: 'change',
      value: change.percent,
      unit: 'percent',
      statement:
        `${series.subject}: from ${valueText(from)} in ${from.periodText} to ${valueText(to)} in ` +
        `${to.periodText}, ${change.absolute >= 0 ? 'up' : 'down'} ${apNumber(Math.abs(change.absolute))}` +
        (change.percent === null ? '' : ` (${signedPercent(change.percent)})`),
      rounding: percentRounding,
      inputs: [from, to],
    };
  }
  if (query.kind === 'cumulative') {
    const labels = periodsBetween(periodOf(query.from), periodOf(query.to));
    if (!labels || labels.length === 0) {
      throw ValidationError.field(
        'to',
        'must be a period of the same kind as from (years or fiscal years), not before it',
      );
    }
    const missing = labels.filter((label) => !latest.some((o) => o.period === label));
    if (missing.length > 0) {
      throw ValidationError.field(
        'from',
        `the series has no figure for ${missing.join(', ')}: a total over the range would be short`,
      );
    }
    const inputs = labels.map((label) => requirePeriodFigure(latest, label, 'from'));
    const total = inputs.reduce((sum, o) => sum + o.value, 0);
    const first = inputs[0];
    const last = inputs.at(-1);
    return {
      kind: 'cumulative',
      value: total,
      unit: series.unit,
      statement: `${series.subject}: ${apNumber(total)} from ${first?.periodText} to ${last?.periodText}, the sum of ${inputs.length} published figures`,
      rounding: null,
      inputs,
    };
  }
  const whole = findOrFail(await findSeries(db, query.of), 'statistic series', query.of);
  const part = requirePeriodFigure(latest, query.period, 'period');
  const of = requirePeriodFigure(await latestObservations(db, whole.key), query.period, 'period');
  const share = shareOf(part.value, of.value);
  return {
    kind: 'share',
    value: share,
    unit: 'percent',
    statement:
      `${apNumber(part.value)} of ${apNumber(of.value)} in ${part.periodText}` +
      (share === null ? '' : `, ${apPercent(share)}`),
    rounding: percentRounding,
    inputs: [part, of],
  };
}

/** A stable id for a figure of the reference pack, so loading it twice adds nothing. */
function packObservationId(seriesKey: string, period: string): string {
  const hex = createHash('sha256')
    .update(`milepost reference pack ${seriesKey} ${period}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Loads the reference pack: the series and figures missing, never over what is stored (a
 * figure revised or added since stays). Returns how many figures were added; when it adds any,
 * the audit log says so (no person made the change: the release of Milepost that ships them).
 */
export async function loadReferencePack(db: Database): Promise<number> {
  return inTransaction(db, async (tx) => {
    for (const { observations: _, ...series } of referencePack) {
      await insertSeriesUnlessTaken(tx, series);
    }
    const rows = referencePack.flatMap((series) =>
      series.observations.map((o) => {
        const period = periodOf(o.period);
        const source = { ...provenanceOf(o.source) };
        return {
          id: packObservationId(series.key, period.label),
          seriesKey: series.key,
          period: period.label,
          periodKind: period.kind,
          periodStart: period.start,
          periodEnd: period.end,
          value: o.value,
          ...source,
          notes: o.notes ?? '',
          verified: o.verified ?? true,
          requestHash: 'reference-pack',
          createdBy: null,
          supersedes: null,
        };
      }),
    );
    const added = await insertObservationsUnlessPresent(tx, rows);
    if (added > 0) {
      await recordAudit(tx, null, packOrigin, {
        action: 'statistic_observation.pack_loaded',
        entityType: 'statistic_observation',
        agencyId: null,
        after: { added },
      });
    }
    return added;
  });
}

const packOrigin = { ip: null, userAgent: 'milepost reference pack', requestId: null };
