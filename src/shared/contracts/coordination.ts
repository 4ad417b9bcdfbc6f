import { z } from 'zod';
import { countries } from './agencies.ts';
import { localDateSchema, versionSchema } from './common.ts';

export const submissionStatuses = ['draft', 'submitted', 'revision_requested'] as const;

/**
 * The counts a coordinating body gathers, as the CVSA initiative publishes them (DOMAIN.md):
 * each a metric of Milepost's catalogue, so a submission is prefilled from the records.
 */
export const submissionMetrics = [
  { key: 'wallet_cards', label: 'Wallet cards' },
  { key: 'window_decals', label: 'Window decals' },
  { key: 'posters', label: 'Posters' },
  { key: 'outreach_events', label: 'Outreach events' },
  { key: 'presentations', label: 'Presentations' },
  { key: 'media_contacts', label: 'Media contacts' },
  { key: 'social_posts', label: 'Social-media posts' },
] as const;

export type SubmissionMetric = (typeof submissionMetrics)[number]['key'];

const windowSchema = z
  .object({ country: z.enum(countries), startsOn: localDateSchema, endsOn: localDateSchema })
  .refine((w) => w.startsOn <= w.endsOn, {
    path: ['endsOn'],
    message: 'must not be before startsOn',
  });

export const createCoordinatorInitiativeSchema = z.object({
  id: z.uuid(),
  name: z.string().trim().min(3).max(200),
  description: z.string().trim().max(5000).default(''),
  windows: z
    .array(windowSchema)
    .min(1, 'give the dates in at least one country')
    .max(countries.length)
    .refine((ws) => new Set(ws.map((w) => w.country)).size === ws.length, {
      message: 'one window per country',
    }),
});

export const coordinatorInitiativeSchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    coordinator: z.string(),
    name: z.string(),
    description: z.string(),
    windows: z.array(z.object({ country: z.string(), startsOn: z.string(), endsOn: z.string() })),
    /** Whether the caller's agency has joined it. */
    joined: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'CoordinatorInitiative' });

const countsSchema = z.object(
  Object.fromEntries(
    submissionMetrics.map((m) => [m.key, z.number().int().min(0).max(100_000_000)]),
  ) as Record<SubmissionMetric, z.ZodNumber>,
);

export const submissionSchema = z
  .object({
    id: z.uuid(),
    coordinatorInitiativeId: z.uuid(),
    agencyId: z.uuid(),
    agencyName: z.string(),
    status: z.enum(submissionStatuses),
    jurisdiction: z.string(),
    personnel: z.number().int(),
    counts: countsSchema,
    narrative: z.string(),
    submittedAt: z.string().nullable(),
    revision: z.number().int(),
    version: z.number().int(),
    /** The same counts as the agency's records give them now, for comparison. */
    fromRecords: z.object({ personnel: z.number().int(), counts: countsSchema }).optional(),
  })
  .meta({ id: 'Submission' });

export const updateSubmissionSchema = z.object({
  version: versionSchema,
  jurisdiction: z.string().trim().min(2).max(200).optional(),
  personnel: z.number().int().min(0).max(1_000_000).optional(),
  counts: countsSchema.partial().optional(),
  narrative: z.string().trim().max(20_000).optional(),
});

export const submitSchema = z.object({ version: versionSchema });

export const requestRevisionSchema = z.object({
  reason: z.string().trim().min(3, 'say what to revise, in a few words').max(2000),
});

export const coordinatorResultsSchema = z
  .object({
    initiative: coordinatorInitiativeSchema,
    /** Every agency that joined, with its status; counts only once submitted. */
    agencies: z.array(submissionSchema.omit({ fromRecords: true })),
    /** The sum of the submitted counts. */
    totals: z.object({
      jurisdictions: z.number().int(),
      personnel: z.number().int(),
      counts: countsSchema,
    }),
  })
  .meta({ id: 'CoordinatorResults' });

export type CreateCoordinatorInitiative = z.infer<typeof createCoordinatorInitiativeSchema>;
export type CoordinatorInitiative = z.infer<typeof coordinatorInitiativeSchema>;
export type Submission = z.infer<typeof submissionSchema>;
export type UpdateSubmission = z.infer<typeof updateSubmissionSchema>;
export type CoordinatorResults = z.infer<typeof coordinatorResultsSchema>;
