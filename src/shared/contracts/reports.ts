import { z } from 'zod';
import { initiativeStatuses } from './initiatives.ts';
import { summarySchema } from './summary.ts';

const labelled = z.object({ code: z.string(), label: z.string(), count: z.number().int() });

/**
 * The after-action report of an initiative: what the page, the PDF, the CSV bundle and the news
 * release are all written from. Its figures are the summary's, so they equal the dashboard's.
 */
export const afterActionReportSchema = z
  .object({
    generatedAt: z.iso.datetime({ offset: true }),
    agency: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() }),
    initiative: z.object({
      id: z.uuid(),
      name: z.string(),
      description: z.string(),
      startsOn: z.string(),
      endsOn: z.string(),
      status: z.enum(initiativeStatuses),
    }),
    narrative: z.string(),
    /** Every metric with a goal or a count, in the catalogue's order. */
    totals: z.array(
      z.object({
        metric: z.string(),
        label: z.string(),
        value: z.number(),
        goal: z.number().nullable(),
        /** value / goal (1 is the goal met); null without a goal or for a goal of 0. */
        progress: z.number().nullable(),
      }),
    ),
    inspections: summarySchema.shape.inspections,
    byDay: summarySchema.shape.byDay,
    byOfficer: summarySchema.shape.byOfficer,
    byMaterial: z.array(
      z.object({
        kind: z.string(),
        label: z.string(),
        language: z.string(),
        quantity: z.number().int(),
      }),
    ),
    /** Every place with a record, and every target place, visited or not. */
    places: z.array(
      z.object({
        placeId: z.uuid(),
        name: z.string(),
        kind: z.string(),
        target: z.boolean(),
        inspections: z.number().int(),
        outreachVisits: z.number().int(),
        materialsHandedOut: z.number().int(),
        peopleReached: z.number().int(),
      }),
    ),
    redFlags: z.array(labelled),
    actions: z.array(labelled),
  })
  .meta({ id: 'AfterActionReport' });

export type AfterActionReport = z.infer<typeof afterActionReportSchema>;

/**
 * The reference statistics a news release quotes: series keys, each with a period when not
 * the latest (`bjs.federal.referred@FY2021`), separated by commas.
 */
export const newsReleaseQuerySchema = z.object({
  statistics: z
    .string()
    .max(1000)
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^[a-z0-9]+(?:[._][a-z0-9]+)*(?:@[A-Za-z0-9.-]+)?$/,
              'must be series keys, each with @PERIOD if not the latest',
            ),
        )
        .max(10, 'at most 10 statistics'),
    ),
});
