import { CsvError } from 'csv-parse';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  classifyDataError,
  classifyStorageError,
  type DataError,
  describeStorageFailure,
  type StorageFailure,
} from '#db/errors.ts';
import type { FieldError, Problem } from '#shared/contracts/problem.ts';
import { AppError } from '../errors.ts';
import { isPlainObject } from './request-input.ts';

const problemBase = 'https://milepost.dev/problems';

export type ProblemBody = Omit<Problem, 'instance' | 'requestId'> & { status: number };

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: ProblemBody,
): FastifyReply {
  const body: Problem = { ...problem, instance: request.url, requestId: String(request.id) };
  return reply.code(problem.status).type('application/problem+json').send(body);
}

/**
 * What an error tells the caller: typed errors and validation failures with their status; a
 * database that cannot write (a full or read-only disk, a server down) as a 503; a
 * database error that the data sent caused (`classifyDataError`) as a 400 (or 409 for a
 * duplicate) naming the field where it can; anything else a bare 500 that reveals nothing,
 * logged. Both error handlers (the API's and the public pages') answer from this.
 */
export function describeError(
  error: FastifyError | AppError | Error,
  request: FastifyRequest,
): { problem: ProblemBody; headers?: Record<string, string> } {
  if (error instanceof AppError) {
    return {
      headers: error.headers,
      problem: {
        type: error.type,
        title: error.title,
        status: error.status,
        detail: error.message,
        ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
      },
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldError[] = error.validation.map((issue) => ({
      field: fieldName(error.validationContext, issue.instancePath),
      message: issue.message ?? 'is not valid',
    }));
    return { problem: invalidRequest(errors) };
  }
  const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx: a body that is not JSON, too large, a wrong content type, a rate limit.
    return {
      problem: {
        type: `${problemBase}/http-${status}`,
        title: titleFor(status),
        status,
        detail: error.message,
      },
    };
  }
  if (isCsvError(error)) {
    // csv-parse's refusal of a malformed file: the sender's mistake, at a line it names.
    const line = error.lines;
    return {
      problem: invalidRequest([
        {
          field: 'body',
          message: `is not a CSV file Milepost can read${line ? ` (line ${line})` : ''}`,
        },
      ]),
    };
  }
  const storage = classifyStorageError(error);
  if (storage) return storageProblem(request, storage);
  const dataError = classifyDataError(error);
  if (dataError) {
    // A gap in validation, not a fault: the field should have been refused before the database.
    request.log.warn({ err: error }, 'refused: the database could not store a value that was sent');
    return { problem: problemOfDataError(dataError, request) };
  }
  request.log.error({ err: error }, 'unhandled error');
  return {
    problem: {
      type: `${problemBase}/internal`,
      title: 'Internal server error',
      status: 500,
      detail: 'Something went wrong on our side. The request id identifies it in the logs.',
    },
  };
}

/**
 * The one error handler of the API: every error becomes problem+json (`describeError`).
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const { problem, headers } = describeError(error, request);
    if (headers) reply.headers(headers);
    return sendProblem(request, reply, problem);
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
function storageProblem(
  request: FastifyRequest,
  storage: StorageFailure,
): { problem: ProblemBody; headers: Record<string, string> } {
  request.log.error({ storage: storage.kind, code: storage.code }, 'the database cannot write');
  return {
    headers: { 'retry-after': String(storageRetryAfterSeconds) },
    problem: {
      type: `${problemBase}/database-unavailable`,
      title: 'Database unavailable',
      status: 503,
      detail:
        `Nothing was saved: ${describeStorageFailure(storage.kind)}. ` +
        'Try again later; the request can be sent again as it is.',
    },
  };
}

function invalidRequest(errors: FieldError[]): ProblemBody {
  return {
    type: `${problemBase}/invalid-request`,
    title: 'Invalid request',
    status: 400,
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  };
}

const dataErrorMessages: Record<DataError['kind'], string> = {
  'invalid-value': 'is a value Milepost cannot store',
  duplicate: 'is already taken',
  'unknown-reference': 'names a record that does not exist',
  check: 'is not allowed here',
  conflict: 'conflicts with another record',
};

/** csv-parse's error: a file whose quotes, columns or encoding it cannot read. */
function isCsvError(error: Error): error is CsvError {
  return error instanceof CsvError;
}

function problemOfDataError(dataError: DataError, request: FastifyRequest): ProblemBody {
  // A value no field holds came from a file (a CSV upload) or from Milepost's own reading of it.
  const field =
    fieldOfDataError(dataError, request) ?? (isPlainData(request.body) ? 'request' : 'body');
  const errors = [{ field, message: dataErrorMessages[dataError.kind] }];
  if (dataError.kind === 'duplicate' || dataError.kind === 'conflict') {
    return {
      type: `${problemBase}/conflict`,
      title: 'Conflict',
      status: 409,
      detail: `${field}: ${errors[0]?.message}`,
      errors,
    };
  }
  return invalidRequest(errors);
}

/**
 * The field a data error is about: the column PostgreSQL names (in camelCase, as the API names
 * it), or else the field of the request whose value the database's message quotes.
 */
function fieldOfDataError(dataError: DataError, request: FastifyRequest): string | undefined {
  const column = dataError.column ?? /Key \(([a-z_]+)\)/.exec(dataError.message)?.[1];
  if (column) return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const quoted = /"([^"]*)"\s*$|: "(.*)"$|value "([^"]*)"/.exec(dataError.message);
  const value = quoted?.slice(1).find((v) => v !== undefined);
  if (value === undefined || value === '') return undefined;
  return (
    fieldHolding(request.body, value) ??
    fieldHolding(request.query, value) ??
    fieldHolding(request.params, value)
  );
}

/** The dotted path of the first member of `input` equal to `value` (as text), if any. */
function fieldHolding(input: unknown, value: string): string | undefined {
  const pending: { item: unknown; path: string }[] = [{ item: input, path: '' }];
  let visited = 0;
  for (let next = pending.pop(); next && visited < 10_000; next = pending.pop(), visited++) {
    const { item, path } = next;
    if ((typeof item === 'string' || typeof item === 'number') && String(item) === value) {
      return path || undefined;
    }
    if (Array.isArray(item) || isPlainData(item)) {
      for (const [key, member] of Object.entries(item as object)) {
        pending.push({ item: member, path: path ? `${path}.${key}` : key });
      }
    }
  }
  return undefined;
}

/** Parsed data (JSON, a form, a query string), not a stream, a buffer or a scalar. */
function isPlainData(value: unknown): value is object {
  return value !== null && typeof value === 'object' && isPlainObject(value);
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
