import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '#db/client.ts';
import { type Permission, roleHasPermission } from '#shared/roles.ts';
import type { Config } from '../config.ts';
import type { Actor, Origin, RequestContext } from '../context.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { recordAudit } from '../features/audit/audit.service.ts';
import { authenticate } from '../features/auth/auth.service.ts';

/**
 * Who may call a route: anyone (`public`), anyone signed in (`signed-in`), or the roles that hold
 * a permission. Every route declares one; the role-by-endpoint test fails on a route without.
 */
export type Access = 'public' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * The audit action of a refusal of this route's permission, for routes whose every attempt
     * is worth knowing of (the tips): the refusal is then in the audit log, with who tried.
     */
    auditRefusal?: { action: string; entityType: string };
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionExpiresAt: Date | null;
  }
}

export const sessionCookie = 'milepost_session';

/** The request's context for a service call; throws 401 when nobody is signed in. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new UnauthorizedError('Sign in first.');
  return { actor: request.actor, ...originOf(request) };
}

export function originOf(request: FastifyRequest): Origin & { requestId: string } {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 400) : null,
    requestId: String(request.id),
  };
}

export function registerAccessControl(
  app: FastifyInstance,
  deps: { db: Database; config: Config },
): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionExpiresAt', null);

  app.addHook('onRequest', async (request, reply) => {
    refuseCrossSiteWrites(request);
    const token = request.cookies[sessionCookie];
    if (token) {
      const found = await authenticate(deps.db, deps.config.sessions, token);
      if (found) {
        request.actor = found.actor;
        request.sessionExpiresAt = found.expiresAt;
      } else {
        clearSessionCookie(reply);
      }
    }
  });

  // Before validation: a caller who may not use a route learns nothing of what it expects.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    if (!request.actor) throw new UnauthorizedError('Sign in first.');
    if (access === 'signed-in') return;
    if (!roleHasPermission(request.actor.role, access)) {
      const audited = request.routeOptions.config.auditRefusal;
      if (audited) {
        const id = (request.params as { id?: unknown } | undefined)?.id;
        await recordAudit(deps.db, request.actor, originOf(request), {
          action: audited.action,
          entityType: audited.entityType,
          entityId: typeof id === 'string' ? id.slice(0, 100) : null,
          agencyId: request.actor.agencyId,
          after: { method: request.method, route: request.routeOptions.url },
        });
      }
      throw new ForbiddenError(`The role ${request.actor.role} may not do this (needs ${access}).`);
    }
  });
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes from another site are refused. SameSite=Strict already keeps the
 * cookie off such requests in current browsers; this check covers older ones and sibling
 * subdomains, using what the browser says of the request's origin. The origin must be this
 * server's whole origin, scheme included: a page on http://host is not one on https://host
 * (behind MILEPOST_TRUST_PROXY, the scheme and host are the proxy's X-Forwarded-Proto and
 * X-Forwarded-Host, as Fastify reads them).
 */
function refuseCrossSiteWrites(request: FastifyRequest): void {
  if (safeMethods.has(request.method) || !request.cookies[sessionCookie]) return;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new ForbiddenError('Cross-site requests may not change anything.');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin === 'null') {
    throw new ForbiddenError('Requests from an opaque origin may not change anything.');
  }
  const expected = webOriginOf(`${request.protocol}://${request.host}`);
  if (expected === null || webOriginOf(origin) !== expected) {
    throw new ForbiddenError('Cross-site requests may not change anything.');
  }
}

/** The scheme, host and port of a URL as browsers compare them, or null if it is not one. */
function webOriginOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? null : parsed.origin;
  } catch {
    return null;
  }
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: '/' });
}
