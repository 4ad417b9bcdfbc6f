import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  agencySchema,
  createAgencySchema,
  updateAgencySchema,
} from '#shared/contracts/agencies.ts';
import { idParamsSchema, pageQuerySchema, pageSchema } from '#shared/contracts/common.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { createAgency, getAgency, listAgencies, updateAgency } from './agencies.service.ts';

export const agenciesRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/agencies',
    {
      config: { access: 'agency:read' },
      schema: {
        tags: ['agencies'],
        summary: 'Agencies the caller may see: their own, or all for a platform administrator',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(agencySchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listAgencies(db, contextOf(request), request.query),
  );

  app.post(
    '/api/agencies',
    {
      config: { access: 'agencies:create' },
      schema: {
        tags: ['agencies'],
        summary: 'Create an agency',
        body: createAgencySchema,
        response: { 201: agencySchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const agency = await createAgency(db, contextOf(request), request.body);
      return reply.code(201).send(agency);
    },
  );

  app.get(
    '/api/agencies/:id',
    {
      config: { access: 'agency:read' },
      schema: {
        tags: ['agencies'],
        params: idParamsSchema,
        response: { 200: agencySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getAgency(db, contextOf(request), request.params.id),
  );

  app.patch(
    '/api/agencies/:id',
    {
      config: { access: 'agency:update' },
      schema: {
        tags: ['agencies'],
        summary: 'Change an agency’s settings',
        params: idParamsSchema,
        body: updateAgencySchema,
        response: { 200: agencySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => updateAgency(db, contextOf(request), request.params.id, request.body),
  );
};
