import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { classifyStorageError, describeStorageFailure } from '#db/errors.ts';
import type { FieldError, Problem } from '#shared/contracts/problem.ts';
import { AppError } from '../errors.ts';

const problemBase = 'https://milepost.dev/problems';

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Omit<Problem, 'instance' | 'requestId'>,
): FastifyReply {
  const body: Problem = { ...problem, instance: request.url, requestId: String(request.id) };
  return reply.code(problem.status).type('application/problem+json').send(body);
}

/**
 * The one error handler: typed errors and validation failures become problem+json with their
 * status; anything unexpected is logged and answered as a bare 500 that reveals nothing.
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      reply.headers(error.headers);
      return sendProblem(request, reply, {
        type: error.type,
        title: error.title,
        status: error.status,
        detail: error.message,
        ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: FieldError[] = error.validation.map((issue) => ({
        field: fieldName(error.validationContext, issue.instancePath),
        message: issue.message ?? 'is not valid',
      }));
      return sendProblem(request, reply, {
        type: `${problemBase}/invalid-request`,
        title: 'Invalid request',
        status: 400,
        detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      });
    }
    const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx: a body that is not JSON, too large, a wrong content type, a rate limit.
      return sendProblem(request, reply, {
        type: `${problemBase}/http-${status}`,
        title: titleFor(status),
        status,
        detail: error.message,
      });
    }
    const storage = classifyStorageError(error);
    if (storage) return sendStorageProblem(request, reply, storage);
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, {
      type: `${problemBase}/internal`,
      title: 'Internal server error',
      status: 500,
      detail: 'Something went wrong on our side. The request id identifies it in the logs.',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      type: `${problemBase}/not-found`,
      title: 'Not found',
      status: 404,
      detail: `No route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

/** Seconds a client is told to wait before trying again while the database cannot write. */
const storageRetryAfterSeconds = 30;

/**
 * The database could not write for a reason of its own (a full or read-only disk, a server
 * down): an outage, 503, that the field app's outbox retries. Logged by kind and code alone: the
 * driver's error carries the statement and its values.
 */
function sendStorageProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  storage: NonNullable<ReturnType<typeof classifyStorageError>>,
): FastifyReply {
  request.log.error({ storage: storage.kind, code: storage.code }, 'the database cannot write');
  reply.header('retry-after', String(storageRetryAfterSeconds));
  return sendProblem(request, reply, {
    type: `${problemBase}/database-unavailable`,
    title: 'Database unavailable',
    status: 503,
    detail:
      `Nothing was saved: ${describeStorageFailure(storage.kind)}. ` +
      'Try again later; the request can be sent again as it is.',
  });
}

function fieldName(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (context === 'body') return path || 'body';
  if (context === 'querystring') return path || 'query';
  if (context === 'params') return path || 'params';
  if (context === 'headers') return path || 'headers';
  return path || 'request';
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Invalid request',
    401: 'Sign-in required',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    406: 'Not acceptable',
    413: 'Payload too large',
    415: 'Unsupported media type',
    429: 'Too many requests',
  };
  return titles[status] ?? 'Request refused';
}
