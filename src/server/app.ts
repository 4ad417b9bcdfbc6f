import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DatabaseHandle } from '#db/client.ts';
import type { Config } from './config.ts';
import { activitiesRoutes } from './features/activities/activities.routes.ts';
import { agenciesRoutes } from './features/agencies/agencies.routes.ts';
import { appConfigRoutes } from './features/app-config/app-config.routes.ts';
import { auditRoutes } from './features/audit/audit.routes.ts';
import { authRoutes } from './features/auth/auth.routes.ts';
import { coordinationRoutes } from './features/coordination/coordination.routes.ts';
import { healthRoutes } from './features/health/health.routes.ts';
import { homeRoutes } from './features/home/home.routes.ts';
import { importsRoutes } from './features/imports/imports.routes.ts';
import { initiativesRoutes } from './features/initiatives/initiatives.routes.ts';
import { inspectionsRoutes } from './features/inspections/inspections.routes.ts';
import { metricsRoutes } from './features/metrics/metrics.routes.ts';
import { outreachVisitsRoutes } from './features/outreach-visits/outreach-visits.routes.ts';
import { placesRoutes } from './features/places/places.routes.ts';
import { publicRoutes } from './features/public/public.routes.ts';
import { reportsRoutes } from './features/reports/reports.routes.ts';
import { statisticsRoutes } from './features/statistics/statistics.routes.ts';
import { stockRoutes } from './features/stock/stock.routes.ts';
import { summaryRoutes } from './features/summary/summary.routes.ts';
import { tipsRoutes } from './features/tips/tips.routes.ts';
import { usersRoutes } from './features/users/users.routes.ts';
import { webAppRoutes } from './features/web-app/web-app.routes.ts';
import { type Access, registerAccessControl } from './http/access.ts';
import { serializeError, serializeRequest } from './http/log-serializers.ts';
import { registerProblemHandlers, sendProblem } from './http/problem.ts';
import { databaseRateLimitStore } from './http/rate-limit-store.ts';
import { registerInputChecks } from './http/request-input.ts';
import type { Secrets } from './secrets.ts';

export interface AppDeps {
  database: DatabaseHandle;
  config: Config;
  /** The key ring that seals tips (`loadSecrets`). */
  secrets: Secrets;
  /** Defaults to a JSON logger on stdout at the configured level; tests pass false or a stream. */
  logger?: boolean | { stream: { write(line: string): void } };
}

/**
 * One route, who may call it, and the schemas of what it takes: what the generated tests walk
 * (every role against every route; hostile input against every schema), so that a new route is
 * covered without anyone listing it.
 */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  schema: {
    body?: unknown;
    querystring?: unknown;
    params?: unknown;
    /** Whether the route's schema is hidden from the OpenAPI document. */
    hide?: boolean;
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteAccess[];
  }
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/** Paths whose routes come from plugins and are public by nature. */
const pluginRoutePrefixes = ['/api/docs'];

/**
 * Swagger UI's own policy admits any https: style and font and a third-party validator; ours
 * keeps its script hashes and admits nothing from elsewhere. Its inline style attributes need
 * 'unsafe-inline' for styles on these pages alone.
 */
function docsContentSecurityPolicy(pluginPolicy: string): string {
  const scriptSrc = /script-src ([^;]*);/.exec(pluginPolicy)?.[1] ?? "'self'";
  return [
    "default-src 'self'",
    "base-uri 'none'",
    "connect-src 'self'",
    "font-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    `script-src ${scriptSrc}`,
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
  ].join('; ');
}

/** Builds the whole HTTP application without listening, for main.ts and for tests. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, secrets } = deps;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(typeof deps.logger === 'object'
              ? { stream: deps.logger.stream }
              : process.stdout.isTTY
                ? // A person at a terminal reads lines; a log collector gets JSON.
                  {
                    transport: {
                      target: 'pino-pretty',
                      options: { translateTime: 'SYS:HH:MM:ss' },
                    },
                  }
                : {}),
            // No log line holds what a caller sent or the database was given: an error keeps
            // its kind, SQLSTATE and stack; a request its path and its parameters' names.
            serializers: { req: serializeRequest, err: serializeError, error: serializeError },
            redact: {
              paths: [
                'req.headers.cookie',
                'req.headers.authorization',
                'res.headers["set-cookie"]',
                '*.password',
                '*.newPassword',
                '*.currentPassword',
                '*.email',
              ],
              censor: '[redacted]',
            },
          },
    // A path Fastify's router cannot decode (a lone surrogate's bytes) or holds too long a
    // parameter is the caller's mistake too, told as problem+json like every other.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      sendProblem(request, reply, {
        type: 'https://milepost.dev/problems/invalid-request',
        title: status === 414 ? 'URI too long' : 'Invalid request',
        status,
        detail: 'path: is not a valid address of a resource',
        errors: [{ field: 'path', message: 'is not a valid address of a resource' }],
      });
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // A caller's request id is kept if it looks like one, so logs can be joined across systems.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  const routeTable: RouteAccess[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (pluginRoutePrefixes.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, access: 'public' };
    } else if (route.config?.access === undefined) {
      // Fail closed: a route that forgot to say who may call it never starts.
      throw new Error(`Route ${route.method} ${route.url} declares no access rule.`);
    }
    const access = route.config?.access ?? 'public';
    const { body, querystring, params, hide } = (route.schema ?? {}) as RouteAccess['schema'];
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        routeTable.push({
          method,
          url: route.url,
          access,
          schema: { body, querystring, params, hide },
        });
      }
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The dashboard map's tiles are the one image source beyond Milepost itself.
        imgSrc: ["'self'", 'data:', new URL(config.map.tileUrl.replaceAll(/[{}]/g, '')).origin],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
  });
  // Counters in the database: every process on one database shares every limit.
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(database.db),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Milepost API',
        description:
          'The HTTP API of Milepost. The web app uses nothing else. Sign in with ' +
          '`POST /api/auth/login`; the session travels in an HttpOnly cookie. Errors are ' +
          '`application/problem+json` (RFC 9457) with a list of field errors.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'milepost_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: docsContentSecurityPolicy,
    // No badge from the public validator: the docs make no request to anyone but Milepost.
    uiConfig: { deepLinking: true, validatorUrl: null },
  });

  registerAccessControl(app, { db: database.db, config });
  registerInputChecks(app);

  const routeDeps = { db: database.db, config, secrets };
  await app.register(healthRoutes, { ...routeDeps, database });
  await app.register(homeRoutes);
  await app.register(webAppRoutes);
  await app.register(authRoutes, routeDeps);
  await app.register(appConfigRoutes, routeDeps);
  await app.register(agenciesRoutes, routeDeps);
  await app.register(usersRoutes, routeDeps);
  await app.register(auditRoutes, routeDeps);
  await app.register(initiativesRoutes, routeDeps);
  await app.register(metricsRoutes, routeDeps);
  await app.register(placesRoutes, routeDeps);
  await app.register(stockRoutes, routeDeps);
  await app.register(inspectionsRoutes, routeDeps);
  await app.register(outreachVisitsRoutes, routeDeps);
  await app.register(activitiesRoutes, routeDeps);
  await app.register(summaryRoutes, routeDeps);
  await app.register(importsRoutes, routeDeps);
  await app.register(statisticsRoutes, routeDeps);
  await app.register(reportsRoutes, routeDeps);
  await app.register(coordinationRoutes, routeDeps);
  await app.register(tipsRoutes, routeDeps);
  await app.register(publicRoutes, routeDeps);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.ready();
  return app;
}
