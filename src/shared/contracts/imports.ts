import { z } from 'zod';
import { fieldErrorSchema } from './problem.ts';

export const importQuerySchema = z.object({
  format: z.enum(['csv', 'geojson']).optional(),
  /** Import the rows that are valid and report the others, instead of importing nothing. */
  skipInvalid: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});

export const importReportSchema = z
  .object({
    kind: z.enum(['places', 'inspections']),
    format: z.string(),
    rows: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    /** State inspections joined to Milepost's own inspection with the same report number. */
    matched: z.number().int(),
    /** Rows that could not be imported, by row number (the header is row 1 in a CSV). */
    invalid: z.array(z.object({ row: z.number().int(), errors: z.array(fieldErrorSchema) })),
    /** Columns the file has that Milepost does not read (reported once, then ignored). */
    ignoredColumns: z.array(z.string()),
  })
  .meta({ id: 'ImportReport' });

export type ImportReport = z.infer<typeof importReportSchema>;
