import { z } from 'zod';

/** One field's complaint, with the field named as a dotted path (`materials.0.quantity`). */
export const fieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
});

/** Every error Milepost sends: RFC 9457 problem details, with field errors for bad input. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;
export type FieldError = z.infer<typeof fieldErrorSchema>;
