import { Command, InvalidArgumentError } from 'commander';
import { DataDirUnusableError } from '#db/data-dir.ts';
import { DataDirLockedError } from '#db/data-dir-lock.ts';
import { classifyStorageError, describeStorageFailure } from '#db/errors.ts';
import { ConfigError, loadConfig } from '#server/config.ts';
import { SecretsError } from '#server/secrets.ts';
import { CliError } from './cli-error.ts';
import { registerDataCommands } from './commands/data.command.ts';
import { registerDatabaseCommands } from './commands/database.command.ts';
import { registerReportCommands } from './commands/report.command.ts';
import { registerServeCommands } from './commands/serve.command.ts';
import { registerStatsCommands } from './commands/stats.command.ts';
import { registerTipCommands } from './commands/tips.command.ts';
import { registerUserCommands } from './commands/user.command.ts';

const program = new Command('milepost')
  .description('Milepost: plan, record and report human-trafficking awareness initiatives.')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

// Parsed once, on first use, so that `milepost --help` works even with a bad environment.
let config: ReturnType<typeof loadConfig> | undefined;
const getConfig = () => {
  config ??= loadConfig();
  return config;
};

registerServeCommands(program, getConfig);
registerDatabaseCommands(program, getConfig);
registerUserCommands(program, getConfig);
registerDataCommands(program, getConfig);
registerStatsCommands(program, getConfig);
registerReportCommands(program, getConfig);
registerTipCommands(program, getConfig);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (storageFailureLine(error)) {
    process.stderr.write(`milepost: ${storageFailureLine(error)}\n`);
  } else if (
    error instanceof DataDirLockedError ||
    error instanceof DataDirUnusableError ||
    error instanceof CliError ||
    error instanceof SecretsError
  ) {
    process.stderr.write(`milepost: ${error.message}\n`);
  } else if (error instanceof InvalidArgumentError) {
    process.stderr.write(`milepost: ${error.message}\n`);
  } else {
    process.stderr.write(
      `milepost: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}

/**
 * A disk or a database server that fails (read-only, full, down) is said in one line, without
 * a stack: it is the machine's state, not a bug. Null for any other error.
 */
function storageFailureLine(error: unknown): string | null {
  if (error instanceof DataDirUnusableError) return null;
  const failure = classifyStorageError(error);
  if (!failure) return null;
  const { path: file } = error as { path?: unknown };
  const where = typeof file === 'string' ? ` (${file})` : '';
  return `cannot go on: ${describeStorageFailure(failure.kind)}${where} [${failure.code}].`;
}
