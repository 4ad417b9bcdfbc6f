import type { FieldError } from '#shared/contracts/problem.ts';

/**
 * The few errors a service throws on purpose. The HTTP layer maps each to problem+json;
 * anything else is a bug and answers 500 without details.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly fieldErrors: FieldError[] | undefined;
  readonly headers: Record<string, string> = {};

  constructor(detail: string, fieldErrors?: FieldError[]) {
    super(detail);
    this.fieldErrors = fieldErrors;
    this.name = new.target.name;
  }

  /** The problem type: a stable, documented identifier of the kind of error. */
  get type(): string {
    return `https://milepost.dev/problems/${this.title.toLowerCase().replaceAll(' ', '-')}`;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';

  constructor(fieldErrors: FieldError[], detail?: string) {
    super(detail ?? fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '), fieldErrors);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Sign-in required';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';

  constructor(entity: string, id?: string) {
    super(id ? `No ${entity} with id ${id}` : `No such ${entity}`);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
}

/** A stale edit: the record changed since the caller read it. */
export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly title = 'Precondition failed';
}

export class LockedError extends AppError {
  readonly status = 423;
  readonly title = 'Locked';

  constructor(detail: string, until: Date) {
    super(detail);
    const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
    this.headers['retry-after'] = String(seconds);
  }
}

/** Attempts come too fast: the caller waits `Retry-After` seconds and tries again. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';

  constructor(detail: string, until: Date) {
    super(detail);
    const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
    this.headers['retry-after'] = String(seconds);
  }
}

/** Throws NotFoundError when `value` is null or undefined; returns it otherwise. */
export function findOrFail<T>(value: T | null | undefined, entity: string, id?: string): T {
  if (value === null || value === undefined) throw new NotFoundError(entity, id);
  return value;
}
