import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { Config } from '#server/config.ts';
import { activityKind } from '#server/features/activities/activities.routes.ts';
import { importInspections, importPlaces } from '#server/features/imports/imports.service.ts';
import { inspectionKind } from '#server/features/inspections/inspections.routes.ts';
import { outreachVisitKind } from '#server/features/outreach-visits/outreach-visits.routes.ts';
import { exportRecordsCsv } from '#server/records/field-records.service.ts';
import { recordFilterSchema } from '#shared/contracts/records.ts';
import { CliError, explainRefusal } from '../cli-error.ts';
import { writeOutputFile } from '../output-file.ts';
import { actingContext, progressPrinter } from './acting.ts';
import { withDatabase } from './database.command.ts';

const importKinds = ['places', 'inspections'] as const;
const exportKinds = {
  inspections: inspectionKind,
  'outreach-visits': outreachVisitKind,
  activities: activityKind,
};

export function registerDataCommands(program: Command, getConfig: () => Config): void {
  program
    .command('import')
    .description(
      'Import places (.csv, .geojson) or inspections (Milepost CSV, or a state file with FMCSA columns)',
    )
    .argument('<kind>', importKinds.join(' or '))
    .argument('<file>', 'the file to import')
    .option('--agency <slug>', 'the agency (needed when there are several)')
    .option('--as <email>', 'the user to act as (default: the agency’s first supervisor)')
    .option(
      '--skip-invalid',
      'import the valid rows and report the others, instead of importing nothing',
    )
    .action(
      async (
        kind: string,
        file: string,
        options: { agency?: string; as?: string; skipInvalid?: boolean },
      ) => {
        if (!(importKinds as readonly string[]).includes(kind))
          throw new CliError(`<kind>: must be ${importKinds.join(' or ')}`);
        if (!fs.existsSync(file)) throw new CliError(`<file>: ${file} does not exist`);
        const report = await withDatabase(
          getConfig(),
          `milepost import ${kind}`,
          async ({ db }) => {
            const ctx = await actingContext(db, options, `milepost import ${kind}`);
            const progress = progressPrinter(`Importing ${path.basename(file)}`);
            const importOptions = {
              skipInvalid: Boolean(options.skipInvalid),
              onProgress: progress,
            };
            try {
              if (kind === 'inspections')
                return await importInspections(db, ctx, fs.createReadStream(file), importOptions);
              if (file.toLowerCase().endsWith('.csv')) {
                return await importPlaces(
                  db,
                  ctx,
                  { format: 'csv', input: fs.createReadStream(file) },
                  importOptions,
                );
              }
              const document = JSON.parse(fs.readFileSync(file, 'utf8'));
              return await importPlaces(db, ctx, { format: 'geojson', document }, importOptions);
            } catch (error) {
              explainRefusal(error);
            } finally {
              progress.finish();
            }
          },
        );
        const lines = [
          `Read ${report.rows} rows (${report.format}): ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged${
            report.kind === 'inspections'
              ? `, ${report.matched} joined to Milepost inspections by report number`
              : ''
          }.`,
        ];
        if (report.ignoredColumns.length > 0)
          lines.push(`Ignored columns: ${report.ignoredColumns.join(', ')}.`);
        if (report.invalid.length > 0) {
          lines.push(
            `Skipped ${report.invalid.length} invalid rows: ${report.invalid
              .slice(0, 20)
              .map((r) => r.row)
              .join(', ')}.`,
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    );

  program
    .command('export')
    .description('Export records as CSV (the same filters as the API)')
    .argument('<kind>', Object.keys(exportKinds).join(', '))
    .option('--agency <slug>', 'the agency (needed when there are several)')
    .option('--as <email>', 'the user to act as (default: the agency’s first supervisor)')
    .option('--initiative <id>', 'only records of this initiative')
    .option('--from <date>', 'from this local date (YYYY-MM-DD)')
    .option('--to <date>', 'to this local date (YYYY-MM-DD)')
    .option('--out <file>', 'write here instead of standard output')
    .action(async (kind: string, options: Record<string, string | undefined>) => {
      const recordKind = exportKinds[kind as keyof typeof exportKinds];
      if (!recordKind)
        throw new CliError(`<kind>: must be one of ${Object.keys(exportKinds).join(', ')}`);
      const filter = recordFilterSchema.safeParse({
        initiativeId: options.initiative,
        from: options.from,
        to: options.to,
      });
      if (!filter.success) {
        throw new CliError(
          filter.error.issues.map((i) => `--${flagOf(String(i.path[0]))}: ${i.message}`).join('; '),
        );
      }
      await withDatabase(getConfig(), `milepost export ${kind}`, async ({ db }) => {
        const ctx = await actingContext(db, options, `milepost export ${kind}`);
        const stream = await exportRecordsCsv(
          db,
          ctx,
          recordKind as typeof inspectionKind,
          filter.data,
        ).catch(explainRefusal);
        if (options.out) await writeOutputFile(options.out, stream);
        else await pipeline(stream, process.stdout);
      });
      if (options.out) process.stderr.write(`Wrote ${options.out}.\n`);
    });
}

function flagOf(field: string): string {
  return ({ initiativeId: 'initiative' } as Record<string, string>)[field] ?? field;
}
