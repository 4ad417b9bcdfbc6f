/** A mistake of the person at the terminal: printed as it is, without a stack. */
export class CliError extends Error {
  override name = 'CliError';
}
