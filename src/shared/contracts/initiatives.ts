import { z } from 'zod';
import { localDateSchema, pageQuerySchema, timestampsSchema, versionSchema } from './common.ts';
import { withDefaults } from './defaults.ts';
import { metricKeySchema } from './metrics.ts';

export const initiativeStatuses = ['planned', 'active', 'closed'] as const;

/**
 * Goal per metric, such as `{ "wallet_cards": 500 }`; metrics without a goal are left out. A key
 * names a metric of the catalogue or one of the agency's own (the service checks which).
 */
const goalsSchema = z
  .record(metricKeySchema, z.number().int().min(0).max(100_000_000))
  .refine((goals) => Object.keys(goals).length <= 100, 'at most 100 goals');

/** An initiative's fields, written once without defaults: an update leaves out what stays. */
const initiativeFields = {
  name: z.string().trim().min(3).max(200),
  description: z.string().trim().max(5000),
  startsOn: localDateSchema,
  endsOn: localDateSchema,
  goals: goalsSchema,
  targetPlaceIds: z.array(z.uuid()).max(2000),
};

const datesInOrder = (value: { startsOn?: string; endsOn?: string }) =>
  !value.startsOn || !value.endsOn || value.startsOn <= value.endsOn;
const datesMessage = { path: ['endsOn'], message: 'must not be before startsOn' };

export const createInitiativeSchema = z
  .object({
    id: z.uuid(),
    ...withDefaults(initiativeFields, { description: '', goals: {}, targetPlaceIds: [] }),
  })
  .refine(datesInOrder, datesMessage);

export const updateInitiativeSchema = z
  .object({ version: versionSchema, ...z.object(initiativeFields).partial().shape })
  .refine(datesInOrder, datesMessage);

export const initiativeStatusChangeSchema = z.object({ version: versionSchema });

/** The supervisor's account for the after-action report; it may change once the initiative closes. */
export const reportNarrativeSchema = z.object({
  version: versionSchema,
  narrative: z.string().trim().max(20_000),
});

export const initiativeSchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    name: z.string(),
    description: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    goals: z.record(z.string(), z.number()),
    targetPlaceIds: z.array(z.uuid()),
    /** The supervisor's account, for the after-action report. */
    reportNarrative: z.string(),
    status: z.enum(initiativeStatuses),
    closedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .extend(timestampsSchema.shape)
  .meta({ id: 'Initiative' });

export const listInitiativesQuerySchema = pageQuerySchema.extend({
  status: z.enum(initiativeStatuses).optional(),
});

export type CreateInitiative = z.infer<typeof createInitiativeSchema>;
export type UpdateInitiative = z.infer<typeof updateInitiativeSchema>;
export type ReportNarrative = z.infer<typeof reportNarrativeSchema>;
export type Initiative = z.infer<typeof initiativeSchema>;
export type InitiativeStatus = (typeof initiativeStatuses)[number];
