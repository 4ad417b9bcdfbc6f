import type { Command } from 'commander';
import type { DatabaseHandle } from '#db/client.ts';
import type { Config } from '#server/config.ts';
import { describeDatabase, openConfiguredDatabase } from '#server/database.ts';
import { loadDemo } from '#server/features/demo/demo.service.ts';
import { loadReferencePack } from '#server/features/statistics/statistics.service.ts';

/**
 * Opens the configured database for one command, migrated and holding the reference
 * statistics Milepost ships, and always closes it.
 */
export async function withDatabase<T>(
  config: Config,
  command: string,
  work: (database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await openConfiguredDatabase(config, command);
  try {
    await database.migrate();
    await loadReferencePack(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

export function registerDatabaseCommands(program: Command, getConfig: () => Config): void {
  program
    .command('migrate')
    .description('Apply the committed migrations to the database')
    .action(async () => {
      const config = getConfig();
      await withDatabase(config, 'milepost migrate', async () => {});
      process.stdout.write(`Migrated ${describeDatabase(config)}.\n`);
    });

  program
    .command('demo')
    .description('Add the demo agency and one user per role (changes nothing already there)')
    .action(async () => {
      const config = getConfig();
      const { created } = await withDatabase(config, 'milepost demo', (database) =>
        loadDemo(database.db, config.demo.password),
      );
      process.stdout.write(
        created.length > 0
          ? `Added ${created.join(', ')}.\n`
          : 'The demo agency and its users were already there; nothing changed.\n',
      );
    });
}
