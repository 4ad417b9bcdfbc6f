import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePasswordSchema, loginSchema, meSchema } from '#shared/contracts/auth.ts';
import {
  clearSessionCookie,
  contextOf,
  originOf,
  sessionCookie,
  setSessionCookie,
} from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { changeOwnPassword, describeMe, signIn, signOut } from './auth.service.ts';

export const authRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db, config }) => {
  app.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: config.signInRateLimit, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: loginSchema,
        response: { 200: meSchema, ...problemResponses(400, 401, 423, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await signIn(
        db,
        config.sessions,
        request.body,
        originOf(request),
        request.cookies[sessionCookie],
      );
      setSessionCookie(request, reply, signedIn.token, config.sessions.maxLifetimeSeconds);
      const ctx = { actor: signedIn.actor, ...originOf(request) };
      return describeMe(db, config.sessions, ctx, signedIn.expiresAt);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out; ends the session',
        response: { 204: z.null(), ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await signOut(db, contextOf(request));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their role and agency',
        response: { 200: meSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      return describeMe(db, config.sessions, ctx, request.sessionExpiresAt ?? new Date());
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password; other sessions end',
        body: changePasswordSchema,
        response: { 204: z.null(), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(db, contextOf(request), request.body);
      return reply.code(204).send(null);
    },
  );
};
