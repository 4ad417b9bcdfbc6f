import type { FieldError } from '#shared/contracts/problem.ts';

/** A refusal from the API (application/problem+json), with the fields it names. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    /** The body of the answer, such as the current version of a record in a conflict. */
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

/** The network could not be reached at all: the request may be tried again later. */
export class OfflineError extends Error {
  override name = 'OfflineError';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls Milepost's API on the same origin with the session cookie. Answers other than 2xx
 * become ApiError; no answer at all becomes OfflineError.
 */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new OfflineError(error instanceof Error ? error.message : 'offline');
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as { detail?: string; title?: string; errors?: FieldError[] };
    throw new ApiError(
      response.status,
      problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`,
      problem.errors ?? [],
      parsed,
    );
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
