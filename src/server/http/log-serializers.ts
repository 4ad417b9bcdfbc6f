import type { FastifyRequest } from 'fastify';
import { databaseErrorFields } from '#db/errors.ts';

/**
 * What Milepost's logs keep of an error: its kind, the SQLSTATE, constraint, table and column
 * of a database error, and the stack's frames; never a message that may echo what was sent.
 * NOTE: Drizzle wraps a driver's error in one whose message holds the query text and its
 * parameters (an e-mail address, a password hash, a sealed tip), and PostgreSQL's own messages
 * and details quote the offending values ("Key (email)=(...) already exists"), so a database
 * error's messages are dropped whole, and so is any property that is not named here.
 */
export type LoggedError = {
  type: string;
  message: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** The stack's frames, without the message its first lines repeat. */
  stack: string;
  cause?: LoggedError;
};

/** Messages are kept only of errors of our own code; even then, never past this length. */
const maxMessageLength = 300;

export function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: 'not an Error', stack: '' };
  const database = databaseErrorFields(error);
  const fromDatabase = database !== undefined || isQueryWrapper(error) || hasDatabaseCause(error);
  const logged: LoggedError = {
    type: error.name || error.constructor.name,
    message: fromDatabase
      ? `a failed database statement${database ? ` (SQLSTATE ${database.code})` : ''}: its text and values are not logged`
      : error.message.slice(0, maxMessageLength),
    // The first lines of a stack repeat the message; the frames alone say where it happened.
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
  };
  if (database) Object.assign(logged, database);
  const { cause } = error as { cause?: unknown };
  if (cause !== undefined && depth < 4) logged.cause = serializeError(cause, depth + 1);
  return logged;
}

/** Drizzle's wrapper of a failed query: its message is the query text and its parameters. */
function isQueryWrapper(error: Error): boolean {
  return 'query' in error || 'params' in error || error.message.startsWith('Failed query');
}

function hasDatabaseCause(error: Error): boolean {
  for (let e: unknown = error.cause; e instanceof Error; e = e.cause) {
    if (databaseErrorFields(e) !== undefined || isQueryWrapper(e)) return true;
  }
  return false;
}

/**
 * A request as the logs keep it: method, path, the names of its query parameters (their values
 * may be anything a caller typed, an e-mail address included) and, except on the public pages,
 * the caller's address. The address of whoever opens a public page or sends a tip is never
 * written anywhere, logs included.
 */
export function serializeRequest(request: FastifyRequest) {
  const [path = '', query] = request.url.split('?', 2);
  // A name too is anything a caller typed; one that does not look like a parameter is not kept.
  const names = query
    ? [...new URLSearchParams(query).keys()].map((name) =>
        /^[A-Za-z][A-Za-z0-9_.]{0,40}$/.test(name) ? name : '…',
      )
    : [];
  return {
    method: request.method,
    url: names.length > 0 ? `${path}?${[...new Set(names)].map((n) => `${n}=…`).join('&')}` : path,
    ...(path.startsWith('/p/') ? {} : { remoteAddress: request.ip }),
  };
}
