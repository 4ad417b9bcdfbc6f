import type { Command } from 'commander';
import { type Config, keySourceOf } from '#server/config.ts';
import { purgeClosedTips, resealTips } from '#server/features/tips/tips.service.ts';
import {
  createSecrets,
  generateKey,
  loadSecrets,
  parseKey,
  readKeyFile,
  SecretsError,
  writeKeyFile,
} from '#server/secrets.ts';
import { CliError } from '../cli-error.ts';
import { withDatabase } from './database.command.ts';

const origin = (command: string) => ({
  ip: null,
  userAgent: command,
  requestId: `cli-${process.pid}`,
});

/** `milepost keys generate | rotate` and `milepost purge`: the keys and the retention of tips. */
export function registerTipCommands(program: Command, getConfig: () => Config): void {
  const keys = program
    .command('keys')
    .description(
      'The keys that seal tips at rest (MILEPOST_SECRET_KEY, or the data folder’s file)',
    );

  keys
    .command('generate')
    .description('Print a new key, for MILEPOST_SECRET_KEY')
    .action(() => {
      process.stdout.write(`${generateKey()}\n`);
    });

  keys
    .command('rotate')
    .description(
      'Seal every tip anew under a new key. With the key file: makes the key, re-seals, then ' +
        'drops the old key. With MILEPOST_SECRET_KEY: put the new key first (milepost keys ' +
        'generate), run this, then remove the old one',
    )
    .action(async () => {
      const config = getConfig();
      const source = keySourceOf(config);
      try {
        if (source.kind === 'environment') {
          if (source.keys.length < 2) {
            throw new CliError(
              'MILEPOST_SECRET_KEY: put the new key first and the current one after it, separated by a comma (milepost keys generate prints a new key)',
            );
          }
          const secrets = loadSecrets(source);
          const report = await withDatabase(config, 'milepost keys rotate', (database) =>
            resealTips(database.db, secrets, origin('milepost keys rotate')),
          );
          printRotation(report);
          process.stdout.write(
            'Every tip is sealed under the first key of MILEPOST_SECRET_KEY: remove the others from it now.\n',
          );
          return;
        }
        // The key file: the new key first, the old ones kept until every value is re-sealed.
        loadSecrets(source); // makes the file on a first use, and checks the keys it holds
        const old = readKeyFile(source.file);
        const fresh = generateKey();
        writeKeyFile(source.file, [fresh, ...old]);
        const secrets = createSecrets([fresh, ...old].map(parseKey));
        const report = await withDatabase(config, 'milepost keys rotate', (database) =>
          resealTips(database.db, secrets, origin('milepost keys rotate')),
        );
        writeKeyFile(source.file, [fresh]);
        printRotation(report);
        process.stdout.write(
          `The old key is gone from ${source.file}; keep a copy of the new one somewhere safe.\n`,
        );
      } catch (error) {
        if (error instanceof SecretsError) throw new CliError(error.message);
        throw error;
      }
    });

  program
    .command('purge')
    .description('Delete closed tips past their agency’s retention (audited without their content)')
    .option('--dry-run', 'list what would go, delete nothing')
    .action(async (options: { dryRun?: boolean }) => {
      const report = await withDatabase(getConfig(), 'milepost purge', (database) =>
        purgeClosedTips(database.db, {
          dryRun: options.dryRun === true,
          origin: origin('milepost purge'),
        }),
      );
      for (const tip of report.tips) {
        process.stdout.write(
          `${tip.agency}\t${tip.receiptCode ?? `inspection entry ${tip.id}`}\tclosed ${tip.closedAt.slice(0, 10)}\t(kept ${tip.retentionDays} days)\n`,
        );
      }
      process.stdout.write(
        options.dryRun
          ? `${report.tips.length} closed tip${report.tips.length === 1 ? '' : 's'} would be purged; nothing was deleted.\n`
          : `Purged ${report.purged} closed tip${report.purged === 1 ? '' : 's'}.\n`,
      );
    });
}

function printRotation(report: { resealed: number; unopenable: { table: string; id: string }[] }) {
  process.stdout.write(
    `Sealed ${report.resealed} value${report.resealed === 1 ? '' : 's'} anew.\n`,
  );
  if (report.unopenable.length > 0) {
    process.stderr.write(
      `${report.unopenable.length} value(s) open under no key and were left as they are: ${report.unopenable
        .map((u) => `${u.table} ${u.id}`)
        .join(', ')}\n`,
    );
  }
}
