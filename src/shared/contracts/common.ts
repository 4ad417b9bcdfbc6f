import { z } from 'zod';

export const uuidSchema = z.uuid();

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

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** A local calendar date, `YYYY-MM-DD`. */
export const localDateSchema = z.iso.date();

export const positionSchema = z.object({
  lat: z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  lon: z
    .number()
    .min(-180, 'must be between -180 and 180')
    .max(180, 'must be between -180 and 180'),
});

/** Sent with an edit: the version the client last saw. A stale one is refused (409). */
export const versionSchema = z.number().int().min(1);

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
