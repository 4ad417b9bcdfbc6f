import { AppError } from '#server/errors.ts';

/** A mistake of the person at the terminal: printed as it is, without a stack. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Prints a service's refusal the way the API would say it: what is wrong, field by field. */
export function explainRefusal(error: unknown): never {
  if (error instanceof AppError) {
    const fields = error.fieldErrors?.slice(0, 20).map((e) => `  ${e.field}: ${e.message}`) ?? [];
    throw new CliError([error.message, ...fields].join('\n'));
  }
  throw error;
}
