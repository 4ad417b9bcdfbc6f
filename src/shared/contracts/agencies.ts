import { z } from 'zod';
import { withDefaults } from './defaults.ts';

export const agencyKinds = ['enforcement', 'coordinating_body'] as const;
export const countries = ['US', 'CA', 'MX'] as const;

/** An IANA time zone name that this runtime knows (`America/Chicago`). */
export const timeZoneSchema = z.string().refine(isKnownTimeZone, {
  message: 'must be an IANA time zone name, such as America/Chicago',
});

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

export const agencySlugSchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens');

/** A number the agency shows the public, and when someone last checked that it answers. */
export const hotlineSchema = z.object({
  label: z.string().trim().min(2).max(80),
  number: z
    .string()
    .trim()
    .regex(
      /^\+?[0-9][0-9 ().-]{2,28}$/,
      'must be a telephone or text number, such as 1-888-373-7888',
    ),
  verifiedOn: z.iso.date(),
});

/** How the agency keeps its material. */
export const stockPolicySchema = z.object({
  /** An officer holding fewer than this of a material is told to restock. */
  lowThreshold: z.number().int().min(0).max(100_000),
  /** A hand-out beyond the officer's stock draws on the store; if not, it is a shortfall. */
  drawOnStore: z.boolean(),
});

export const agencySchema = z
  .object({
    id: z.uuid(),
    slug: agencySlugSchema,
    name: z.string(),
    kind: z.enum(agencyKinds),
    country: z.enum(countries),
    region: z.string().nullable(),
    timeZone: z.string(),
    ori: z.string().nullable(),
    hotlines: z.array(hotlineSchema),
    stockPolicy: stockPolicySchema,
    /** Days a closed tip is kept before it is purged. */
    tipRetentionDays: z.number().int(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Agency' });

/** An agency's fields, written once without defaults: an update leaves out what stays. */
const agencyFields = {
  slug: agencySlugSchema,
  name: z.string().trim().min(2).max(200),
  kind: z.enum(agencyKinds),
  country: z.enum(countries),
  region: z
    .string()
    .trim()
    .regex(/^[A-Z]{2,3}$/, 'must be a state or province code such as MO or ON')
    .nullable(),
  timeZone: timeZoneSchema,
  ori: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}[A-Z0-9]{7}$/, 'must be a 9-character ORI such as MOKPD0000')
    .nullable(),
};

export const createAgencySchema = z.object(
  withDefaults(agencyFields, { kind: 'enforcement', region: null, ori: null }),
);

/** Every field optional, none with a default; a field of `stockPolicy` left out stays too. */
export const updateAgencySchema = z
  .object({
    name: agencyFields.name,
    country: agencyFields.country,
    region: agencyFields.region,
    timeZone: agencyFields.timeZone,
    ori: agencyFields.ori,
    hotlines: z.array(hotlineSchema).max(10),
    stockPolicy: stockPolicySchema.partial().refine((policy) => Object.keys(policy).length > 0, {
      message: 'name at least one field of the policy to change',
    }),
    tipRetentionDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, {
    message: 'name at least one field to change',
  });

export type Agency = z.infer<typeof agencySchema>;
export type CreateAgency = z.infer<typeof createAgencySchema>;
export type UpdateAgency = z.infer<typeof updateAgencySchema>;
export type Hotline = z.infer<typeof hotlineSchema>;
export type StockPolicy = z.infer<typeof stockPolicySchema>;
