import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema, pageSchema } from '#shared/contracts/common.ts';
import {
  createInitiativeSchema,
  initiativeSchema,
  initiativeStatusChangeSchema,
  listInitiativesQuerySchema,
  reportNarrativeSchema,
  updateInitiativeSchema,
} from '#shared/contracts/initiatives.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import {
  createInitiative,
  getInitiative,
  listInitiatives,
  setInitiativeClosed,
  setReportNarrative,
  updateInitiative,
} from './initiatives.service.ts';

export const initiativesRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/initiatives',
    {
      config: { access: 'initiatives:read' },
      schema: {
        tags: ['initiatives'],
        summary: 'The agency’s initiatives, newest first',
        querystring: listInitiativesQuerySchema,
        response: { 200: pageSchema(initiativeSchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listInitiatives(db, contextOf(request), request.query),
  );

  app.post(
    '/api/initiatives',
    {
      config: { access: 'initiatives:write' },
      schema: {
        tags: ['initiatives'],
        summary: 'Plan an initiative; sending the same request again returns it unchanged (200)',
        body: createInitiativeSchema,
        response: {
          200: initiativeSchema,
          201: initiativeSchema,
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const { initiative, created } = await createInitiative(db, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(initiative);
    },
  );

  app.get(
    '/api/initiatives/:id',
    {
      config: { access: 'initiatives:read' },
      schema: {
        tags: ['initiatives'],
        params: idParamsSchema,
        response: { 200: initiativeSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getInitiative(db, contextOf(request), request.params.id),
  );

  app.patch(
    '/api/initiatives/:id',
    {
      config: { access: 'initiatives:write' },
      schema: {
        tags: ['initiatives'],
        summary: 'Change dates, goals, target places; name the version you read',
        params: idParamsSchema,
        body: updateInitiativeSchema,
        response: { 200: initiativeSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => updateInitiative(db, contextOf(request), request.params.id, request.body),
  );

  app.put(
    '/api/initiatives/:id/report-narrative',
    {
      config: { access: 'initiatives:write' },
      schema: {
        tags: ['initiatives', 'reports'],
        summary:
          "Set the supervisor's account for the after-action report (also once the initiative is closed)",
        params: idParamsSchema,
        body: reportNarrativeSchema,
        response: { 200: initiativeSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => setReportNarrative(db, contextOf(request), request.params.id, request.body),
  );

  for (const [action, closed] of [
    ['close', true],
    ['reopen', false],
  ] as const) {
    app.post(
      `/api/initiatives/:id/${action}`,
      {
        config: { access: 'initiatives:write' },
        schema: {
          tags: ['initiatives'],
          summary: closed
            ? 'Close an initiative: its records can no longer change'
            : 'Reopen a closed initiative',
          params: idParamsSchema,
          body: initiativeStatusChangeSchema,
          response: { 200: initiativeSchema, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) =>
        setInitiativeClosed(
          db,
          contextOf(request),
          request.params.id,
          request.body.version,
          closed,
        ),
    );
  }
};
