import type { Command } from 'commander';
import type { Config } from '#server/config.ts';
import { serve } from '#server/main.ts';

export function registerServeCommands(program: Command, getConfig: () => Config): void {
  program
    .command('serve')
    .description('Migrate the database and serve Milepost on HOST:PORT (never loads demo data)')
    .action(async () => {
      await serve(getConfig(), { demoIfEmpty: false, command: 'milepost serve' });
    });

  program
    .command('start')
    .description(
      'What `npm start` runs: serve, after loading the demo into an empty database (MILEPOST_DEMO=0 skips it)',
    )
    .action(async () => {
      await serve(getConfig(), { demoIfEmpty: true, command: 'milepost start' });
    });
}
