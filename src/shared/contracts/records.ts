import { z } from 'zod';
import {
  actionCodes,
  inspectionLevelCodes,
  redFlagCodes,
  vehicleTypeCodes,
} from '../catalogues/field.ts';
import {
  isoDateTimeSchema,
  localDateSchema,
  positionSchema,
  timestampsSchema,
  versionSchema,
} from './common.ts';
import { withDefaults } from './defaults.ts';
import { metricKeySchema } from './metrics.ts';

/** How far ahead of the server's clock a record's time may be (a phone's clock drifts). */
export const maxClockAheadMs = 5 * 60_000;

/**
 * When a record happened: an ISO date and time with its offset, normalised to UTC
 * (`isoDateTimeSchema`), and not ahead of the server's clock by more than a phone's drift.
 */
export const occurredAtSchema = isoDateTimeSchema.refine(
  (value) => Date.parse(value) <= Date.now() + maxClockAheadMs,
  { message: 'must not be in the future' },
);

export const materialLineSchema = z.object({
  materialId: z.uuid(),
  quantity: z.number().int().min(1).max(10_000),
});

const materialLinesSchema = z
  .array(materialLineSchema)
  .max(50)
  .refine((lines) => new Set(lines.map((l) => l.materialId)).size === lines.length, {
    message: 'names a material twice; give one line per material',
  });

/**
 * What every field record carries. Each kind's fields are written once, without defaults: an
 * update takes them as they are, each optional (a field left out stays as it is); a create adds
 * the defaults of a new record (withDefaults).
 */
const recordFields = {
  occurredAt: occurredAtSchema,
  placeId: z.uuid().nullable(),
  notes: z.string().trim().max(5000),
  /** Set by a supervisor logging for someone else; an officer logs as themselves. */
  officerId: z.uuid(),
  /** The initiative it counts toward; by default the one whose dates contain its local date. */
  initiativeId: z.uuid().nullable(),
};

const recordDefaults = { placeId: null, notes: '' } as const;

/** Left out of a create, these are worked out by the server: the caller, and the initiative. */
const placedByServer = { officerId: true, initiativeId: true } as const;

const inspectionFields = {
  ...recordFields,
  position: positionSchema.nullable(),
  level: z.enum(inspectionLevelCodes),
  usdotNumber: z
    .string()
    .regex(/^\d{1,8}$/, 'must be 1 to 8 digits')
    .nullable(),
  reportNumber: z.string().trim().max(40).nullable(),
  reportState: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter state or province code')
    .nullable(),
  vehicleType: z.enum(vehicleTypeCodes).nullable(),
  outreachGiven: z.boolean(),
  materials: materialLinesSchema,
  redFlags: z
    .array(z.enum(redFlagCodes))
    .max(redFlagCodes.length)
    .overwrite((flags) => [...new Set(flags)]),
  action: z.enum(actionCodes),
};

export const createInspectionSchema = z
  .object({
    id: z.uuid(),
    ...withDefaults(inspectionFields, {
      ...recordDefaults,
      position: null,
      usdotNumber: null,
      reportNumber: null,
      reportState: null,
      vehicleType: null,
      outreachGiven: true,
      materials: [],
      redFlags: [],
      action: 'none',
    }),
  })
  .partial(placedByServer);
export const updateInspectionSchema = z
  .object(inspectionFields)
  .partial()
  .extend({ version: versionSchema });

const peopleReached = z.number().int().min(0).max(100_000);
const reachedFields = { drivers: peopleReached, staff: peopleReached, public: peopleReached };

const visitFields = {
  ...recordFields,
  /** In an update, the audiences it names; the others stay as they are. */
  reached: z.object(reachedFields).partial(),
  materials: materialLinesSchema,
  postersPutUp: z.number().int().min(0).max(10_000),
  managerEngaged: z.boolean(),
  followUpOn: localDateSchema.nullable(),
};

export const createOutreachVisitSchema = z
  .object({
    id: z.uuid(),
    ...withDefaults(visitFields, {
      ...recordDefaults,
      materials: [],
      postersPutUp: 0,
      managerEngaged: false,
      followUpOn: null,
    }),
    reached: z
      .object(withDefaults(reachedFields, { drivers: 0, staff: 0, public: 0 }))
      .default({ drivers: 0, staff: 0, public: 0 }),
  })
  .partial(placedByServer);
export const updateOutreachVisitSchema = z
  .object(visitFields)
  .partial()
  .extend({ version: versionSchema });

const activityFields = {
  ...recordFields,
  /** An activity kind of the catalogue or one of the agency's own metrics (GET /api/metrics). */
  kind: metricKeySchema,
  count: z.number().int().min(1).max(1_000_000),
};

export const createActivitySchema = z
  .object({ id: z.uuid(), ...withDefaults(activityFields, { ...recordDefaults, count: 1 }) })
  .partial(placedByServer);
export const updateActivitySchema = z
  .object(activityFields)
  .partial()
  .extend({ version: versionSchema });

const recordResponseFields = {
  id: z.uuid(),
  agencyId: z.uuid(),
  initiativeId: z.uuid().nullable(),
  /** None for an inspection imported from the state's inspection file. */
  officerId: z.uuid().nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  localDate: z.string(),
  placeId: z.uuid().nullable(),
  notes: z.string(),
  deletedAt: z.iso.datetime({ offset: true }).nullable(),
  deletedReason: z.string().nullable(),
};

const shortfallLineSchema = z.object({ materialId: z.uuid(), quantity: z.number().int() });

export const inspectionSchema = z
  .object({
    ...recordResponseFields,
    position: positionSchema.nullable(),
    level: z.enum(inspectionLevelCodes),
    usdotNumber: z.string().nullable(),
    reportNumber: z.string().nullable(),
    reportState: z.string().nullable(),
    vehicleType: z.enum(vehicleTypeCodes).nullable(),
    outreachGiven: z.boolean(),
    materials: z.array(materialLineSchema),
    redFlags: z.array(z.enum(redFlagCodes)),
    action: z.enum(actionCodes),
    source: z.enum(['milepost', 'state_import']),
    /** Material handed out beyond the stock on hand, waiting for a supervisor to reconcile. */
    shortfalls: z.array(shortfallLineSchema),
  })
  .extend(timestampsSchema.shape)
  .meta({ id: 'Inspection' });

export const outreachVisitSchema = z
  .object({
    ...recordResponseFields,
    reached: z.object({
      drivers: z.number().int(),
      staff: z.number().int(),
      public: z.number().int(),
    }),
    materials: z.array(materialLineSchema),
    postersPutUp: z.number().int(),
    managerEngaged: z.boolean(),
    followUpOn: z.string().nullable(),
    shortfalls: z.array(shortfallLineSchema),
  })
  .extend(timestampsSchema.shape)
  .meta({ id: 'OutreachVisit' });

export const activitySchema = z
  .object({ ...recordResponseFields, kind: z.string(), count: z.number().int() })
  .extend(timestampsSchema.shape)
  .meta({ id: 'Activity' });

/** Filters shared by every record list and its CSV export. */
export const recordFilterSchema = z
  .object({
    initiativeId: z.uuid().optional(),
    officerId: z.uuid().optional(),
    placeId: z.uuid().optional(),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    includeDeleted: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .default(false),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ['to'],
    message: 'must not be before from',
  });

export const listRecordsQuerySchema = z.intersection(
  recordFilterSchema,
  z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
    kind: metricKeySchema.optional(),
  }),
);

export type CreateInspection = z.infer<typeof createInspectionSchema>;
export type UpdateInspection = z.infer<typeof updateInspectionSchema>;
export type Inspection = z.infer<typeof inspectionSchema>;
export type CreateOutreachVisit = z.infer<typeof createOutreachVisitSchema>;
export type UpdateOutreachVisit = z.infer<typeof updateOutreachVisitSchema>;
export type OutreachVisit = z.infer<typeof outreachVisitSchema>;
export type CreateActivity = z.infer<typeof createActivitySchema>;
export type UpdateActivity = z.infer<typeof updateActivitySchema>;
export type Activity = z.infer<typeof activitySchema>;
export type MaterialLine = z.infer<typeof materialLineSchema>;
export type RecordFilter = z.infer<typeof recordFilterSchema>;
export type ListRecordsQuery = z.infer<typeof listRecordsQuerySchema>;
