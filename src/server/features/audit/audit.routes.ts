import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntrySchema, listAuditQuerySchema } from '#shared/contracts/audit.ts';
import { pageSchema } from '#shared/contracts/common.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { listAudit } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first: the caller’s agency, or all for a platform admin',
        querystring: listAuditQuerySchema,
        response: { 200: pageSchema(auditEntrySchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listAudit(db, contextOf(request), request.query),
  );
};
