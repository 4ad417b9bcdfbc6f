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
