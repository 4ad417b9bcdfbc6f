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

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
