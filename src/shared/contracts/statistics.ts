import { z } from 'zod';
import { parsePeriod, periodHasEnded, periodKinds } from '../statistics.ts';

/** A series key: lower-case words joined by dots or underscores, `bjs.federal.referred`. */
export const seriesKeySchema = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9]+(?:[._][a-z0-9]+)*$/,
    'must be lower-case letters and digits, in words joined by . or _',
  )
  .max(80);

/** A period label: `2021`, `FY2021`, `2007-12..2021-12`. */
export const periodLabelSchema = z
  .string()
  .trim()
  .max(40)
  .refine((text) => parsePeriod(text) !== undefined, {
    message: 'must be a year (2021), a fiscal year (FY2021) or a range (2007-12..2021-12)',
  })
  .transform((text) => parsePeriod(text)?.label ?? text);

/**
 * The period of a figure being recorded: from 1900 on, and over (a figure counts what
 * happened, so nobody publishes it before its period ends).
 */
export const endedPeriodLabelSchema = periodLabelSchema
  .refine((label) => (parsePeriod(label)?.start ?? '') >= '1900-01-01', {
    message: 'must be a period from 1900 on',
    abort: true,
  })
  .refine(
    (label) => {
      const period = parsePeriod(label);
      return period !== undefined && periodHasEnded(period);
    },
    { message: 'has not ended yet: a published figure is for a period that is over' },
  );

/** A date a source was published or retrieved on: not before 1900, not after today. */
export const sourceDateSchema = z.iso
  .date()
  .refine((date) => date >= '1900-01-01' && date <= new Date().toISOString().slice(0, 10), {
    message: 'must be a date from 1900 to today',
  });

const optionalDate = sourceDateSchema.nullable().default(null);

/**
 * Where a figure is published: an https address of a named host only, so that what a reader
 * follows from a report or a public page is the page the curator checked, not one altered on
 * its way or one on somebody's own machine.
 */
export const sourceUrlSchema = z
  .string()
  .max(500)
  .refine(isPublishedAddress, { message: 'must be an https:// address of a named site' });

function isPublishedAddress(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    z.regexes.domain.test(url.hostname)
  );
}

export const createSeriesSchema = z.object({
  key: seriesKeySchema,
  subject: z.string().trim().min(3).max(300),
  geography: z.string().trim().min(2).max(80),
  unit: z.string().trim().min(1).max(40),
  /** How a report says it, with `{value}` and `{period}`. */
  sentence: z
    .string()
    .trim()
    .max(300)
    .refine((t) => t === '' || t.includes('{value}'), { message: 'must contain {value}' })
    .default(''),
});

export const provenanceSchema = z.object({
  sourceOrganisation: z.string().trim().min(2).max(200),
  publication: z.string().trim().min(2).max(300),
  url: sourceUrlSchema.nullable().default(null),
  sourceTable: z.string().trim().max(200).nullable().default(null),
  publishedOn: optionalDate,
  retrievedOn: optionalDate,
});

export const createObservationSchema = provenanceSchema.extend({
  id: z.uuid(),
  seriesKey: seriesKeySchema,
  period: endedPeriodLabelSchema,
  value: z.number().finite(),
  notes: z.string().trim().max(1000).default(''),
  /** False for a figure whose source could not be confirmed; reports say so. */
  verified: z.boolean().default(true),
});

export const observationSchema = z
  .object({
    id: z.uuid(),
    seriesKey: z.string(),
    period: z.string(),
    periodKind: z.enum(periodKinds),
    periodStart: z.string(),
    periodEnd: z.string(),
    /** The period in words: `fiscal year 2021`. */
    periodText: z.string(),
    value: z.number(),
    sourceOrganisation: z.string(),
    publication: z.string(),
    url: z.string().nullable(),
    sourceTable: z.string().nullable(),
    publishedOn: z.string().nullable(),
    retrievedOn: z.string().nullable(),
    notes: z.string(),
    verified: z.boolean(),
    /** The observation this one revises, for a figure published again with a new value. */
    supersedes: z.uuid().nullable(),
    /** Whether a later observation revised this one. */
    superseded: z.boolean(),
    citation: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Observation' });

export const seriesSchema = createSeriesSchema
  .extend({ createdAt: z.string() })
  .meta({ id: 'StatisticSeries' });

export const seriesWithObservationsSchema = seriesSchema.extend({
  observations: z.array(observationSchema),
});

export const checkStatisticSchema = z.object({
  seriesKey: seriesKeySchema,
  period: periodLabelSchema,
  value: z.number().finite(),
  /** A change the text states from another period, checked too: `49` (percent) from FY2011. */
  changeFrom: periodLabelSchema.optional(),
  statedChangePercent: z.number().finite().optional(),
});

export const checkVerdicts = ['matches', 'differs', 'no_figure'] as const;

export const statisticCheckSchema = z
  .object({
    verdict: z.enum(checkVerdicts),
    /** What a reader of the check is told, in one or two sentences. */
    message: z.string(),
    seriesKey: z.string(),
    period: z.string(),
    statedValue: z.number(),
    /** The stored figure for the stated period, if there is one. */
    stored: observationSchema.nullable(),
    /** Other periods of the series whose figure is the stated value. */
    matchingPeriods: z.array(observationSchema),
    change: z
      .object({
        from: observationSchema,
        to: observationSchema,
        absolute: z.number(),
        percent: z.number().nullable(),
        rounding: z.string(),
        statedPercent: z.number().nullable(),
        agrees: z.boolean().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'StatisticCheck' });

export const derivedQuerySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('change'),
    series: seriesKeySchema,
    from: periodLabelSchema,
    to: periodLabelSchema,
  }),
  z.object({
    kind: z.literal('cumulative'),
    series: seriesKeySchema,
    from: periodLabelSchema,
    to: periodLabelSchema,
  }),
  z.object({
    kind: z.literal('share'),
    series: seriesKeySchema,
    of: seriesKeySchema,
    period: periodLabelSchema,
  }),
]);

export const derivedFigureSchema = z
  .object({
    kind: z.enum(['change', 'cumulative', 'share']),
    value: z.number().nullable(),
    unit: z.string(),
    /** The derivation in words, with its rounding. */
    statement: z.string(),
    rounding: z.string().nullable(),
    /** The stored observations it was computed from. */
    inputs: z.array(observationSchema),
  })
  .meta({ id: 'DerivedFigure' });

export const statisticsImportReportSchema = z.object({
  format: z.enum(['csv', 'bjs']),
  rows: z.number().int(),
  seriesAdded: z.number().int(),
  added: z.number().int(),
  revised: z.number().int(),
  unchanged: z.number().int(),
});

export type CreateSeries = z.infer<typeof createSeriesSchema>;
export type CreateObservation = z.infer<typeof createObservationSchema>;
export type Observation = z.infer<typeof observationSchema>;
export type StatisticSeries = z.infer<typeof seriesSchema>;
export type SeriesWithObservations = z.infer<typeof seriesWithObservationsSchema>;
export type CheckStatistic = z.infer<typeof checkStatisticSchema>;
export type StatisticCheck = z.infer<typeof statisticCheckSchema>;
export type DerivedQuery = z.infer<typeof derivedQuerySchema>;
export type DerivedFigure = z.infer<typeof derivedFigureSchema>;
export type StatisticsImportReport = z.infer<typeof statisticsImportReportSchema>;
