import { z } from 'zod';

export const uuidSchema = z.uuid();

/**
 * The range of PostgreSQL's `integer` (int4), which every counter, quantity and version is
 * stored as: a number past it must be refused here, not by the database.
 */
export const int4 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** The years Milepost accepts in a date or a date and time (decision 0014). */
export const yearRange = { min: 1900, max: 9999 } as const;

const outOfYears = `must be between ${yearRange.min}-01-01 and ${yearRange.max}-12-31`;

export const idParamsSchema = z.object({ id: z.uuid() });

/** Cursor pagination: `limit` rows after the opaque `cursor` a previous page returned. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
  });
}

/** A page of a list: its items and the cursor of the next page, if any. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Offsets beyond ±14:00 exist on no clock (the widest are -12:00 and +14:00); PostgreSQL refuses
 * those past ±15:59, so a wider one is refused here, with its field named.
 */
const maxOffsetMinutes = 14 * 60;

function offsetMinutesOf(value: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (!match) return 0;
  return Number(match[2]) * 60 + Number(match[3]);
}

function yearOfInstant(value: string): number {
  return new Date(value).getUTCFullYear();
}

/**
 * A date and time with its offset (`2026-01-12T09:30:00-06:00`, or `Z`), given as the same
 * instant in UTC (`2026-01-12T15:30:00.000Z`): what reaches a service and the database has an
 * offset every engine reads, and years PostgreSQL and Milepost both accept.
 */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date and time with its offset' })
  .refine((value) => offsetMinutesOf(value) <= maxOffsetMinutes, {
    message: 'must have an offset between -14:00 and +14:00',
    abort: true,
  })
  .refine(
    (value) => {
      const year = yearOfInstant(value);
      return year >= yearRange.min && year <= yearRange.max;
    },
    { message: outOfYears, abort: true },
  )
  .transform((value) => new Date(value).toISOString());

/** A local calendar date, `YYYY-MM-DD`, in the years Milepost accepts. */
export const localDateSchema = z.iso.date({ error: 'must be a date, YYYY-MM-DD' }).refine(
  (value) => {
    const year = Number(value.slice(0, 4));
    return year >= yearRange.min && year <= yearRange.max;
  },
  { message: outOfYears },
);

export const positionSchema = z.object({
  lat: z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  lon: z
    .number()
    .min(-180, 'must be between -180 and 180')
    .max(180, 'must be between -180 and 180'),
});

/** Sent with an edit: the version the client last saw. A stale one is refused (409). */
export const versionSchema = z.number().int().min(1).max(int4.max);

export const deleteRecordSchema = z.object({
  version: versionSchema,
  reason: z.string().trim().min(3, 'say why, in a few words').max(500),
});

export const timestampsSchema = z.object({
  version: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});

export type Position = z.infer<typeof positionSchema>;
export type DeleteRecord = z.infer<typeof deleteRecordSchema>;
