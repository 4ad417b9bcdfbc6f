import { z } from 'zod';
import { isoDateTimeSchema, pageQuerySchema } from './common.ts';

export const auditEntrySchema = z
  .object({
    id: z.string(),
    occurredAt: z.iso.datetime({ offset: true }),
    actorId: z.uuid().nullable(),
    agencyId: z.uuid().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const listAuditQuerySchema = pageQuerySchema
  .extend({
    actorId: z.uuid().optional(),
    agencyId: z.uuid().optional(),
    entityType: z.string().max(60).optional(),
    entityId: z.string().max(100).optional(),
    action: z.string().max(60).optional(),
    from: isoDateTimeSchema.optional(),
    to: isoDateTimeSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    path: ['to'],
    message: 'must not be before from',
  });

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;
