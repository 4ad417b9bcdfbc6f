import { z } from 'zod';
import { localDateSchema } from './common.ts';

const countsSchema = z.object({
  inspections: z.number().int(),
  outreachVisits: z.number().int(),
  materialsHandedOut: z.number().int(),
  activities: z.number().int(),
});

export const summarySchema = z
  .object({
    scope: z.object({
      initiativeId: z.uuid().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
    /** Every metric of the catalogue, zero when nothing was recorded. */
    totals: z.record(z.string(), z.number()),
    goals: z.array(
      z.object({
        metric: z.string(),
        goal: z.number(),
        actual: z.number(),
        /** actual / goal, 0 to any (1 is the goal met); null for a goal of 0. */
        progress: z.number().nullable(),
      }),
    ),
    inspections: z.object({
      recorded: z.number().int(),
      imported: z.number().int(),
      withOutreach: z.number().int(),
      /** Share of all inspections (recorded and imported) that included outreach. */
      shareWithOutreach: z.number().nullable(),
    }),
    byDay: z.array(countsSchema.extend({ date: z.string() })),
    byOfficer: z.array(countsSchema.extend({ officerId: z.uuid(), name: z.string() })),
    byPlace: z.array(
      z.object({
        placeId: z.uuid(),
        name: z.string(),
        inspections: z.number().int(),
        outreachVisits: z.number().int(),
        materialsHandedOut: z.number().int(),
        peopleReached: z.number().int(),
      }),
    ),
    byMaterial: z.array(
      z.object({ kind: z.string(), language: z.string(), quantity: z.number().int() }),
    ),
    byRedFlag: z.array(z.object({ code: z.string(), count: z.number().int() })),
    byAction: z.array(z.object({ code: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'Summary' });

export const summaryQuerySchema = z
  .object({ from: localDateSchema, to: localDateSchema })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export type Summary = z.infer<typeof summarySchema>;
