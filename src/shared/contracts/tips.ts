import { z } from 'zod';
import { redFlagCodes } from '../catalogues/field.ts';
import { localDateSchema, positionSchema, versionSchema } from './common.ts';
import { occurredAtSchema } from './records.ts';

/**
 * Tips: what the public sends from an agency's page, and what officers' inspections flagged,
 * in one queue that supervisors and investigators triage.
 */

export const tipStatuses = ['new', 'in_review', 'referred', 'closed'] as const;
export type TipStatus = (typeof tipStatuses)[number];

export const tipStatusLabels: Record<TipStatus, string> = {
  new: 'New',
  in_review: 'In review',
  referred: 'Referred',
  closed: 'Closed',
};

/** How a closed tip ended. */
export const tipOutcomes = [
  'acted_on',
  'insufficient_information',
  'duplicate',
  'unfounded',
  'other',
] as const;
export type TipOutcome = (typeof tipOutcomes)[number];

export const tipOutcomeLabels: Record<TipOutcome, string> = {
  acted_on: 'Acted on (referred, investigated)',
  insufficient_information: 'Not enough information to act on',
  duplicate: 'Duplicate of another tip',
  unfounded: 'Not trafficking',
  other: 'Other (see the notes)',
};

export const tipSources = ['public', 'inspection'] as const;
export type TipSource = (typeof tipSources)[number];

export const referralRecipients = ['hotline', 'investigators', 'partner_agency'] as const;
export type ReferralRecipient = (typeof referralRecipients)[number];

export const referralRecipientLabels: Record<ReferralRecipient, string> = {
  hotline: 'The hotline',
  investigators: 'Investigators',
  partner_agency: 'A partner agency',
};

export const contactSafeAnswers = ['yes', 'no', 'unsure'] as const;

/** The largest each part of a tip may be: enough to say what was seen, not to fill a disk. */
export const tipLimits = {
  whereText: 500,
  plate: 15,
  plateState: 40,
  vehicleDescription: 500,
  people: 2000,
  narrative: 5000,
  contact: 200,
  addition: 5000,
  note: 5000,
  shared: 2000,
  recipientName: 200,
  vehicles: 3,
} as const;

const text = (max: number) => z.string().trim().max(max);

export const tipVehicleSchema = z.object({
  plate: text(tipLimits.plate),
  plateState: text(tipLimits.plateState),
  description: text(tipLimits.vehicleDescription),
});

/**
 * What a tip says beyond its red flags, place and time: the parts sealed at rest (AES-256-GCM),
 * which only the agency's supervisors and investigators read, each reading audited.
 */
export const tipContentSchema = z.object({
  whereText: text(tipLimits.whereText),
  /** Where the sender was, when they chose "near me". */
  position: positionSchema.nullable(),
  vehicles: z.array(tipVehicleSchema).max(tipLimits.vehicles),
  people: text(tipLimits.people),
  narrative: text(tipLimits.narrative),
  contact: text(tipLimits.contact),
  contactSafe: z.enum(contactSafeAnswers).nullable(),
});
export type TipContent = z.infer<typeof tipContentSchema>;

/** A tip as the public page's form sends it, after its fields are read. */
export const newTipSchema = z.object({
  redFlags: z.array(z.enum(redFlagCodes)).max(redFlagCodes.length),
  placeId: z.uuid().nullable(),
  seenOn: localDateSchema.nullable(),
  seenTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .nullable(),
  language: z.enum(['en', 'es', 'fr']),
  content: tipContentSchema,
});
export type NewTip = z.infer<typeof newTipSchema>;

export const tipSummarySchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    /** What the sender was given to follow up with; none for an inspection's entry. */
    receiptCode: z.string().nullable(),
    source: z.enum(tipSources),
    status: z.enum(tipStatuses),
    outcome: z.enum(tipOutcomes).nullable(),
    language: z.string(),
    redFlags: z.array(z.string()),
    placeId: z.uuid().nullable(),
    placeName: z.string().nullable(),
    seenOn: z.string().nullable(),
    seenTime: z.string().nullable(),
    inspectionId: z.uuid().nullable(),
    /** For an inspection's entry: the action the officer took. */
    action: z.string().nullable(),
    assignedTo: z.uuid().nullable(),
    assignedToName: z.string().nullable(),
    receivedAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    closedAt: z.iso.datetime({ offset: true }).nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'TipSummary' });
export type TipSummary = z.infer<typeof tipSummarySchema>;

export const tipNoteSchema = z.object({
  id: z.string(),
  text: z.string(),
  authorId: z.uuid().nullable(),
  authorName: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});

export const tipAdditionSchema = z.object({
  id: z.string(),
  text: z.string(),
  addedAt: z.iso.datetime({ offset: true }),
});

export const tipReferralSchema = z.object({
  id: z.string(),
  recipient: z.enum(referralRecipients),
  recipientName: z.string(),
  shared: z.string(),
  referredAt: z.iso.datetime({ offset: true }),
  referredBy: z.uuid().nullable(),
  referredByName: z.string().nullable(),
});

export const tipSchema = tipSummarySchema
  .extend({
    /** None for an inspection's entry: what it says is the inspection's. */
    content: tipContentSchema.nullable(),
    additions: z.array(tipAdditionSchema),
    notes: z.array(tipNoteSchema),
    referrals: z.array(tipReferralSchema),
    /** For an inspection's entry: who logged it, when, and their notes. */
    inspection: z
      .object({
        officerName: z.string().nullable(),
        occurredAt: z.iso.datetime({ offset: true }),
        usdotNumber: z.string().nullable(),
        reportNumber: z.string().nullable(),
        notes: z.string(),
        deleted: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: 'Tip' });
export type Tip = z.infer<typeof tipSchema>;

export const listTipsQuerySchema = z.object({
  status: z.enum(tipStatuses).optional(),
  source: z.enum(tipSources).optional(),
  assignedTo: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const updateTipSchema = z
  .object({
    version: versionSchema,
    status: z.enum(tipStatuses).optional(),
    outcome: z.enum(tipOutcomes).nullable().optional(),
    assignedTo: z.uuid().nullable().optional(),
  })
  .refine((u) => u.status !== 'closed' || (u.outcome !== undefined && u.outcome !== null), {
    path: ['outcome'],
    message: 'say how the tip ended when closing it',
  });
export type UpdateTip = z.infer<typeof updateTipSchema>;

export const newTipNoteSchema = z.object({
  text: z.string().trim().min(1, 'write the note').max(tipLimits.note),
});

export const newReferralSchema = z.object({
  recipient: z.enum(referralRecipients),
  recipientName: z.string().trim().min(2, 'name who received it').max(tipLimits.recipientName),
  shared: z.string().trim().min(2, 'say what was shared').max(tipLimits.shared),
  /** When it was passed on; now by default; as a record's time, not ahead of the clock. */
  referredAt: occurredAtSchema.optional(),
});
export type NewReferral = z.infer<typeof newReferralSchema>;
