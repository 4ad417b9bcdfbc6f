import { createHash } from 'node:crypto';
import { isUniqueViolation } from '#db/errors.ts';
import { ConflictError } from '../errors.ts';

/**
 * The fingerprint of a create request: SHA-256 of its canonical JSON (keys sorted). A replay of
 * the same request has the same fingerprint; the same id with other content does not.
 */
export function fingerprint(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a stored record needs for a replay to be recognised. */
interface Stored {
  agencyId: string;
  requestHash: string;
}

export interface CreateOnce<T extends Stored> {
  /** The record as stored under this id, if any (in any agency). */
  find(): Promise<T | undefined>;
  insert(): Promise<T>;
  agencyId: string;
  hash: string;
  entity: string;
}

/**
 * Creates a record under a client-generated id exactly once. A replay of the same request
 * returns the stored record and writes nothing (`created: false`); the same id with other
 * content, or from another agency, is a conflict.
 */
export async function createOnce<T extends Stored>(
  op: CreateOnce<T>,
): Promise<{ record: T; created: boolean }> {
  const replay = () => replayOf(op);
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return { record: await op.insert(), created: true };
  } catch (error) {
    // Two copies of one request raced; the other one won. NOTE: on PostgreSQL the failed insert
    // aborts the surrounding transaction, so the caller retries the whole unit (see withRetry).
    if (isUniqueViolation(error)) throw new DuplicateCreateError();
    throw error;
  }
}

/** The stored record under the id, when the request is a replay of the one that made it. */
export async function replayOf<T extends Stored>(
  op: Pick<CreateOnce<T>, 'find' | 'agencyId' | 'hash' | 'entity'>,
): Promise<{ record: T; created: false } | undefined> {
  const existing = await op.find();
  if (!existing) return undefined;
  if (existing.agencyId !== op.agencyId || existing.requestHash !== op.hash) {
    throw idTakenError(op.entity);
  }
  return { record: existing, created: false };
}

/** What a create, or an imported row, is told of an id another record holds. */
export const idTakenMessage = 'is already used by a different record';

/**
 * The refusal of a create whose id another record holds: another request's, another agency's, or
 * (for field records, which share one id space) another kind's. It names `id` and says nothing
 * of the record that holds it.
 */
export function idTakenError(entity: string): ConflictError {
  return new ConflictError(
    `A different record already has this id. Generate a new id for a new ${entity}.`,
    [{ field: 'id', message: idTakenMessage }],
  );
}

/** Thrown when a concurrent replay inserted the same id first; retrying the unit resolves it. */
export class DuplicateCreateError extends Error {
  override name = 'DuplicateCreateError';
}

/**
 * Runs `work` in a transaction, once more if a concurrent replay of the same create won the
 * race; the second run finds that record and returns it.
 */
export async function withCreateRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DuplicateCreateError) return run();
    throw error;
  }
}
