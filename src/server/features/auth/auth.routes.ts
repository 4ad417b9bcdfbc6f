import type { FastifyRequest } from 'fastify';
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
import { deviceCookie, type SignInClient, SignInThrottle } from './sign-in-throttle.ts';

/** How long a browser is remembered as one that signed in to an account. */
const deviceCookieDays = 400;

/** Password changes one user may attempt in the window (each also counts as a sign-in failure). */
const passwordChangeLimit = { max: 10, timeWindow: '15 minutes' } as const;

/** The client of an attempt: its address, and the device cookie of the accounts it signed in to. */
function clientOf(request: FastifyRequest): SignInClient {
  return { ip: request.ip ?? null, deviceCookie: request.cookies[deviceCookie] };
}

export const authRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { db, config, secrets },
) => {
  const throttle = new SignInThrottle(secrets, config.signInThrottle);
  const guard = { sessions: config.sessions, throttle };

  app.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        // Every attempt, right or wrong: what bounds the hashing one address can ask for.
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
      const signedIn = await signIn(db, guard, request.body, {
        origin: originOf(request),
        client: clientOf(request),
        previousToken: request.cookies[sessionCookie],
      });
      setSessionCookie(request, reply, signedIn.token, config.sessions.maxLifetimeSeconds);
      // Remembers that this browser signed in to this account: failures elsewhere never slow it.
      reply.setCookie(deviceCookie, signedIn.deviceCookie, {
        path: '/api/auth',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        maxAge: deviceCookieDays * 86_400,
      });
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
      config: {
        access: 'signed-in',
        rateLimit: {
          ...passwordChangeLimit,
          keyGenerator: (request) => request.actor?.userId ?? request.ip,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password; other sessions end',
        description:
          'A wrong current password counts as a failed sign-in: five in a row lock the account ' +
          'on this device or network for 15 minutes (423).',
        body: changePasswordSchema,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 423, 429) },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(db, throttle, contextOf(request), request.body, clientOf(request));
      return reply.code(204).send(null);
    },
  );
};
