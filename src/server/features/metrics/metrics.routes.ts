import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createAgencyMetricSchema, metricSchema } from '#shared/contracts/metrics.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { createAgencyMetric, listMetrics } from './metrics.service.ts';

export const metricsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/metrics',
    {
      config: { access: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        summary: "The metrics Milepost counts, then the agency's own kinds of activity",
        response: { 200: z.array(metricSchema), ...problemResponses(401, 403) },
      },
    },
    (request) => listMetrics(db, contextOf(request)),
  );

  app.post(
    '/api/metrics',
    {
      config: { access: 'metrics:write' },
      schema: {
        tags: ['metrics'],
        summary: "Add a metric of the agency's own, counted from activities of that kind",
        body: createAgencyMetricSchema,
        response: { 200: metricSchema, 201: metricSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { metric, created } = await createAgencyMetric(db, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(metric);
    },
  );
};
