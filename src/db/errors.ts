/** PostgreSQL's SQLSTATE for a unique violation, the same on PGlite and a server. */
const uniqueViolation = '23505';

/**
 * Whether `error` (as thrown by either driver, possibly wrapped by Drizzle) is a unique
 * violation, optionally of the named constraint or index.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const candidate = e as { code?: unknown; constraint?: unknown };
    if (candidate.code === uniqueViolation) {
      return constraint === undefined || candidate.constraint === constraint;
    }
  }
  return false;
}

/** The fields of a database error that say what failed without quoting any value. */
export interface DatabaseErrorFields {
  code: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/** Five digits or capitals with a digit among them: a SQLSTATE, not Node's `EROFS` or `EPIPE`. */
const sqlstatePattern = /^(?=.*\d)[0-9A-Z]{5}$/;

/**
 * The SQLSTATE, constraint, table and column of the first database error in `error`'s cause
 * chain (either driver, possibly wrapped by Drizzle), or undefined when it holds none.
 */
export function databaseErrorFields(error: unknown): DatabaseErrorFields | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const candidate = e as Record<string, unknown>;
    if (typeof candidate.code === 'string' && sqlstatePattern.test(candidate.code)) {
      const fields: DatabaseErrorFields = { code: candidate.code };
      for (const name of ['constraint', 'table', 'column'] as const) {
        const value = candidate[name];
        if (typeof value === 'string' && value !== '') fields[name] = value;
      }
      return fields;
    }
  }
  return undefined;
}

/**
 * A database error that the data sent caused, as opposed to a fault of Milepost or of the
 * database: SQLSTATE class 22 (a value the column cannot hold: out of range, invalid text, a
 * bad date) and the class 23 violations a caller can cause (a duplicate, a missing referenced
 * record, a check). Not-null violations (23502) are not among them: a missing value is always
 * Milepost's to supply, so one is a bug.
 */
export interface DataError extends DatabaseErrorFields {
  kind: 'invalid-value' | 'duplicate' | 'unknown-reference' | 'check' | 'conflict';
  /** PostgreSQL's message, which may quote the value: for naming the field, never for a log. */
  message: string;
}

const callerConstraintViolations: Record<string, DataError['kind']> = {
  '23505': 'duplicate',
  '23503': 'unknown-reference',
  '23514': 'check',
  '23P01': 'conflict',
};

/** Classifies `error` as a data error (see DataError), or undefined for any other failure. */
export function classifyDataError(error: unknown): DataError | undefined {
  const fields = databaseErrorFields(error);
  if (!fields) return undefined;
  const kind = fields.code.startsWith('22')
    ? 'invalid-value'
    : callerConstraintViolations[fields.code];
  if (!kind) return undefined;
  const { message, detail } = textOfDatabaseError(error);
  // A constraint's detail names its columns, `Key (email)=(…)`: the column is kept, not the value.
  const keyColumn = /^Key \(([a-z_]+)\)/.exec(detail)?.[1];
  return {
    ...fields,
    ...(fields.column === undefined && keyColumn ? { column: keyColumn } : {}),
    kind,
    message,
  };
}

function textOfDatabaseError(error: unknown): { message: string; detail: string } {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const candidate = e as { code?: unknown; message?: unknown; detail?: unknown };
    if (typeof candidate.code === 'string' && sqlstatePattern.test(candidate.code)) {
      return {
        message: typeof candidate.message === 'string' ? candidate.message : '',
        detail: typeof candidate.detail === 'string' ? candidate.detail : '',
      };
    }
  }
  return { message: '', detail: '' };
}

/**
 * Why the database cannot take a write, when the fault is its storage or the server and never
 * the request: a full disk, a read-only one, failing hardware, a server out of resources or not
 * answering. Such an error is an outage (503), not a bug (500) nor the caller's mistake (4xx).
 */
export const storageFailureKinds = [
  'disk_full',
  'read_only',
  'io_error',
  'insufficient_resources',
  'unavailable',
] as const;
export type StorageFailureKind = (typeof storageFailureKinds)[number];

export interface StorageFailure {
  kind: StorageFailureKind;
  /** The SQLSTATE or the system's error code that said so. */
  code: string;
}

/** SQLSTATEs of PostgreSQL (and PGlite) that mean the storage or the server failed. */
const storageSqlStates: Record<string, StorageFailureKind> = {
  '53100': 'disk_full',
  '53000': 'insufficient_resources',
  '53200': 'insufficient_resources',
  '53300': 'insufficient_resources',
  '53400': 'insufficient_resources',
  '25006': 'read_only',
  '58030': 'io_error',
  '57P01': 'unavailable',
  '57P02': 'unavailable',
  '57P03': 'unavailable',
  '08000': 'unavailable',
  '08001': 'unavailable',
  '08003': 'unavailable',
  '08004': 'unavailable',
  '08006': 'unavailable',
};

/** Codes of the operating system (Node's `error.code`) that mean the same. */
const storageErrnos: Record<string, StorageFailureKind> = {
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  EROFS: 'read_only',
  EIO: 'io_error',
  ECONNREFUSED: 'unavailable',
};

/**
 * PostgreSQL reports a file it could not write with the system's words after the file's name,
 * under a SQLSTATE of its own choosing (EROFS comes as 42501, insufficient privilege): the words
 * are what tell a read-only disk from a missing grant.
 */
const storageMessages: [RegExp, StorageFailureKind][] = [
  [/: (No space left on device|Disk quota exceeded)$/, 'disk_full'],
  [/: Read-only file system$/, 'read_only'],
  [/: Input\/output error$/, 'io_error'],
];

/** SQLSTATEs under which PostgreSQL reports a file it could not read or write. */
const fileAccessStates = new Set(['42501', '58030', 'XX000']);

/** The node-postgres driver's words when the server closes the connection under a query. */
const droppedConnection = /^Connection terminated( unexpectedly)?$/;

/**
 * Whether `error` (from either driver, possibly wrapped by Drizzle, or Milepost's own
 * `DatabaseStoppedError`) says the storage or the server failed, and how.
 */
export function classifyStorageError(error: unknown): StorageFailure | null {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof DatabaseStoppedError) return e.failure;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      const kind = storageSqlStates[code] ?? storageErrnos[code];
      if (kind) return { kind, code };
    }
    if (typeof message === 'string' && (typeof code !== 'string' || fileAccessStates.has(code))) {
      const byWords = storageMessages.find(([pattern]) => pattern.test(message));
      if (byWords) return { kind: byWords[1], code: typeof code === 'string' ? code : 'unknown' };
      if (droppedConnection.test(message)) return { kind: 'unavailable', code: 'connection' };
    }
  }
  return null;
}

/**
 * The embedded engine stopped after a failure it cannot go on from (a PANIC: the write-ahead
 * log could not be written). Every statement gets this at once until the engine is reopened.
 */
export class DatabaseStoppedError extends Error {
  constructor(readonly failure: StorageFailure) {
    super(`The embedded database stopped: ${describeStorageFailure(failure.kind)}.`);
    this.name = 'DatabaseStoppedError';
  }
}

/** What a storage failure means, in words for a person (a problem's detail, a log line). */
export function describeStorageFailure(kind: StorageFailureKind): string {
  const words: Record<StorageFailureKind, string> = {
    disk_full: 'the disk of the database is full',
    read_only: 'the disk of the database is read-only',
    io_error: 'the disk of the database failed to read or write',
    insufficient_resources: 'the database server is out of resources (memory, connections)',
    unavailable: 'the database server is not answering',
  };
  return words[kind];
}
