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
