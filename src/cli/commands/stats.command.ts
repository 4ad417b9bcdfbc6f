import fs from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Config } from '#server/config.ts';
import {
  checkStatistic,
  deriveFigure,
  listStatistics,
} from '#server/features/statistics/statistics.service.ts';
import {
  importBjsTable,
  importStatisticsCsv,
} from '#server/features/statistics/statistics-imports.ts';
import { checkStatisticSchema, derivedQuerySchema } from '#shared/contracts/statistics.ts';
import { roleHasPermission } from '#shared/roles.ts';
import { CliError, explainRefusal } from '../cli-error.ts';
import { actingContext } from './acting.ts';
import { withDatabase } from './database.command.ts';

/** Turns a schema's refusal into the flags the person typed. */
function parseFlags<T extends z.ZodType>(schema: T, input: unknown, flags: Record<string, string>) {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.infer<T>;
  throw new CliError(
    parsed.error.issues
      .map((i) => `--${flags[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`)
      .join('; '),
  );
}

const number = (text: string | undefined) =>
  text === undefined ? undefined : Number(text.replace(/[,%\s]/g, ''));

export function registerStatsCommands(program: Command, getConfig: () => Config): void {
  const stats = program
    .command('stats')
    .description('Reference statistics: published figures with their sources, and checks');

  stats
    .command('list')
    .description('Every series and its latest figures, with their sources')
    .action(async () => {
      const series = await withDatabase(getConfig(), 'milepost stats list', ({ db }) =>
        listStatistics(db),
      );
      const lines = series.flatMap((s) => [
        `${s.key}: ${s.subject} (${s.geography}, ${s.unit})`,
        ...s.observations
          .filter((o) => !o.superseded)
          .map(
            (o) =>
              `  ${o.period.padEnd(18)} ${o.value.toLocaleString('en-US').padStart(10)}  ${o.citation}${o.verified ? '' : ' [unverified]'}`,
          ),
      ]);
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  stats
    .command('check')
    .description('Check a stated figure against the stored one for its period')
    .requiredOption('--series <key>', 'the series, such as bjs.federal.referred')
    .requiredOption('--period <period>', 'the period stated: 2021, FY2022, 2007-12..2021-12')
    .requiredOption('--value <number>', 'the figure stated')
    .option('--change-from <period>', 'also check a change stated from this earlier period')
    .option('--stated-change <percent>', 'the change stated, in percent (49 for "a 49% increase")')
    .option('--json', 'print the whole check as JSON')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const input = parseFlags(
        checkStatisticSchema,
        {
          seriesKey: options.series,
          period: options.period,
          value: number(options.value as string),
          changeFrom: options.changeFrom,
          statedChangePercent: number(options.statedChange as string | undefined),
        },
        {
          seriesKey: 'series',
          statedChangePercent: 'stated-change',
          changeFrom: 'change-from',
        },
      );
      const check = await withDatabase(getConfig(), 'milepost stats check', ({ db }) =>
        checkStatistic(db, input).catch(explainRefusal),
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(check, null, 2)}\n`
          : `${check.verdict}: ${check.message}\n`,
      );
      // A figure that does not match its source is what a script running this wants to catch.
      if (check.verdict !== 'matches' || check.change?.agrees === false) process.exitCode = 2;
    });

  stats
    .command('derive')
    .description('Compute a figure from stored ones: change, cumulative or share')
    .argument(
      '<kind>',
      'change (--from, --to), cumulative (--from, --to) or share (--of, --period)',
    )
    .requiredOption('--series <key>', 'the series')
    .option('--from <period>', 'the earlier period')
    .option('--to <period>', 'the later period')
    .option('--of <key>', 'for a share: the series of the whole')
    .option('--period <period>', 'for a share: the period')
    .action(async (kind: string, options: Record<string, string | undefined>) => {
      const query = parseFlags(derivedQuerySchema, { kind, ...options }, {});
      const figure = await withDatabase(getConfig(), 'milepost stats derive', ({ db }) =>
        deriveFigure(db, query).catch(explainRefusal),
      );
      process.stdout.write(
        `${figure.statement}${figure.rounding ? ` (${figure.rounding})` : ''}.\n${figure.inputs
          .map((o) => `  ${o.period}: ${o.value.toLocaleString('en-US')}, ${o.citation}`)
          .join('\n')}\n`,
      );
    });

  stats
    .command('import')
    .description('Import figures from CSV (Milepost’s layout), or a BJS appendix table with --bjs')
    .argument('<file>', 'the CSV file')
    .option('--bjs', 'the file is a BJS appendix table: fiscal years in rows, counts in columns')
    .option('--publication <title>', 'for --bjs: the publication the table comes from')
    .option('--url <url>', 'for --bjs: where it is published')
    .option('--table <name>', 'for --bjs: the table, such as "appendix table 1"')
    .option('--published <date>', 'for --bjs: the date it was published (YYYY-MM-DD)')
    .option('--retrieved <date>', 'for --bjs: the date it was retrieved (YYYY-MM-DD)')
    .option('--agency <slug>', 'the agency of the person importing (needed when there are several)')
    .option('--as <email>', 'the user to act as (a platform administrator)')
    .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
      if (!fs.existsSync(file)) throw new CliError(`<file>: ${file} does not exist`);
      if (options.bjs && !options.publication)
        throw new CliError('--publication: name the publication the BJS table comes from');
      const text = fs.readFileSync(file, 'utf8');
      const report = await withDatabase(getConfig(), 'milepost stats import', async ({ db }) => {
        const ctx = await actingContext(
          db,
          { agency: options.agency as string | undefined, as: options.as as string | undefined },
          'milepost stats import',
        );
        if (!roleHasPermission(ctx.actor.role, 'statistics:write')) {
          throw new CliError(
            '--as: reference statistics are shared by every agency and curated by platform administrators; name one',
          );
        }
        return (
          options.bjs
            ? importBjsTable(db, ctx, text, {
                publication: String(options.publication),
                url: (options.url as string | undefined) ?? null,
                sourceTable: (options.table as string | undefined) ?? null,
                publishedOn: (options.published as string | undefined) ?? null,
                retrievedOn: (options.retrieved as string | undefined) ?? null,
              })
            : importStatisticsCsv(db, ctx, text)
        ).catch(explainRefusal);
      });
      const ignoredColumns = 'ignoredColumns' in report ? (report.ignoredColumns as string[]) : [];
      const ignored =
        ignoredColumns.length > 0 ? ` Ignored columns: ${ignoredColumns.join(', ')}.` : '';
      const figures = (n: number) => `${n} figure${n === 1 ? '' : 's'}`;
      process.stdout.write(
        `Read ${report.rows} rows (${report.format}): ${report.seriesAdded} series added, ${figures(report.added)} added, ${report.revised} revised, ${report.unchanged} unchanged.${ignored}\n`,
      );
    });
}
