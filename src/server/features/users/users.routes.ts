import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema, pageSchema } from '#shared/contracts/common.ts';
import {
  createUserSchema,
  listUsersQuerySchema,
  personSchema,
  updateUserSchema,
  userSchema,
} from '#shared/contracts/users.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { createUser, getUser, listPeople, listUsers, updateUser } from './users.service.ts';

export const usersRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/users',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['users'],
        summary: 'Users of the caller’s agency (any agency for a platform administrator)',
        querystring: listUsersQuerySchema,
        response: { 200: pageSchema(userSchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listUsers(db, contextOf(request), request.query),
  );

  app.get(
    '/api/people',
    {
      config: { access: 'people:read' },
      schema: {
        tags: ['users'],
        summary: 'The agency’s active people by name and role, to choose an officer',
        response: {
          200: z.object({ items: z.array(personSchema) }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listPeople(db, contextOf(request)) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: createUserSchema,
        response: { 201: userSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = await createUser(db, contextOf(request), request.body);
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/api/users/:id',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['users'],
        params: idParamsSchema,
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getUser(db, contextOf(request), request.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Change a user’s name or role, or deactivate them (their sessions end at once)',
        params: idParamsSchema,
        body: updateUserSchema,
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => updateUser(db, contextOf(request), request.params.id, request.body),
  );
};
