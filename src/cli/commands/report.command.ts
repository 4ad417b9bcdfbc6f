import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { Config } from '#server/config.ts';
import {
  coordinatingAgencyOf,
  coordinatorResults,
} from '#server/features/coordination/coordination.service.ts';
import { coordinatorReportBundle } from '#server/features/reports/coordinator-report-bundle.ts';
import { renderCoordinatorReportPdf } from '#server/features/reports/coordinator-report-pdf.ts';
import { newsReleaseDocx, newsReleaseMarkdown } from '#server/features/reports/news-release.ts';
import { reportBundle } from '#server/features/reports/report-bundle.ts';
import { renderReportPdf } from '#server/features/reports/report-pdf.ts';
import {
  buildInitiativeReport,
  buildNewsRelease,
} from '#server/features/reports/reports.service.ts';
import { newsReleaseQuerySchema } from '#shared/contracts/reports.ts';
import { roleHasPermission } from '#shared/roles.ts';
import { CliError, explainRefusal } from '../cli-error.ts';
import { writeOutputFile } from '../output-file.ts';
import { actingContext } from './acting.ts';
import { withDatabase } from './database.command.ts';

const formats = ['pdf', 'zip', 'json', 'docx', 'md'] as const;
type Format = (typeof formats)[number];

export function registerReportCommands(program: Command, getConfig: () => Config): void {
  program
    .command('report')
    .description(
      "An initiative's after-action report (pdf, zip bundle, json) or news-release draft (docx, md); a coordinator initiative's report (pdf, zip, json)",
    )
    .argument('<initiative>', 'the initiative id')
    .requiredOption('--format <format>', formats.join(', '))
    .requiredOption('--out <file>', 'where to write it')
    .option('--statistics <list>', 'for a news release: KEY or KEY@PERIOD, separated by commas')
    .option('--agency <slug>', 'the agency (needed when there are several)')
    .option('--as <email>', 'the user to act as (default: the agency’s first supervisor)')
    .action(async (initiative: string, options: Record<string, string | undefined>) => {
      const format = options.format as Format;
      if (!formats.includes(format)) throw new CliError(`--format: must be ${formats.join(', ')}`);
      if (!/^[0-9a-f-]{36}$/i.test(initiative))
        throw new CliError('<initiative>: must be an initiative id (a UUID)');
      const statistics = newsReleaseQuerySchema.safeParse({ statistics: options.statistics });
      if (!statistics.success) {
        throw new CliError(`--statistics: ${statistics.error.issues[0]?.message}`);
      }
      await withDatabase(getConfig(), 'milepost report', async ({ db }) => {
        const out = options.out ?? '';
        const coordinatingAgency = await coordinatingAgencyOf(db, initiative);
        if (coordinatingAgency) {
          if (format === 'docx' || format === 'md') {
            throw new CliError(
              '--format: a news release is written for an agency’s initiative; a coordinator initiative has pdf, zip and json',
            );
          }
          const ctx = await actingContext(db, options, 'milepost report', {
            roles: ['coordinator', 'admin'],
            agencyId: coordinatingAgency,
          });
          if (!roleHasPermission(ctx.actor.role, 'coordination:manage'))
            throw new CliError('--as: a coordinator initiative’s report is for its coordinators');
          const results = await coordinatorResults(db, ctx, initiative).catch(explainRefusal);
          await writeOutputFile(
            out,
            format === 'json'
              ? Readable.from([JSON.stringify(results, null, 2)])
              : format === 'pdf'
                ? renderCoordinatorReportPdf(results, new Date().toISOString())
                : coordinatorReportBundle(results),
          );
          return;
        }
        const ctx = await actingContext(db, options, 'milepost report');
        if (!roleHasPermission(ctx.actor.role, 'reports:read'))
          throw new CliError('--as: reports are for supervisors, analysts and administrators');
        if (format === 'docx' || format === 'md') {
          const release = await buildNewsRelease(
            db,
            ctx,
            initiative,
            statistics.data.statistics,
          ).catch(explainRefusal);
          const body =
            format === 'md' ? newsReleaseMarkdown(release) : await newsReleaseDocx(release);
          await writeOutputFile(out, Readable.from([body]));
          return;
        }
        const report = await buildInitiativeReport(db, ctx, initiative).catch(explainRefusal);
        const source =
          format === 'json'
            ? Readable.from([JSON.stringify(report, null, 2)])
            : format === 'pdf'
              ? renderReportPdf(report)
              : await reportBundle(db, ctx, report).catch(explainRefusal);
        await writeOutputFile(out, source);
      });
      process.stderr.write(`Wrote ${options.out}.\n`);
    });
}
