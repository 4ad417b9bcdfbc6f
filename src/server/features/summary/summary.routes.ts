import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '#shared/contracts/common.ts';
import { summaryQuerySchema, summarySchema } from '#shared/contracts/summary.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { summarizeInitiative, summarizeRange } from './summary.service.ts';

export const summaryRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/initiatives/:id/summary',
    {
      config: { access: 'summary:read' },
      schema: {
        tags: ['summary'],
        summary: 'An initiative’s totals per metric, progress against its goals, and breakdowns',
        params: idParamsSchema,
        response: { 200: summarySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => summarizeInitiative(db, contextOf(request), request.params.id),
  );

  app.get(
    '/api/summary',
    {
      config: { access: 'summary:read' },
      schema: {
        tags: ['summary'],
        summary: 'The same for any range of local dates',
        querystring: summaryQuerySchema,
        response: { 200: summarySchema, ...problemResponses(400, 401, 403) },
      },
    },
    (request) => summarizeRange(db, contextOf(request), request.query),
  );
};
