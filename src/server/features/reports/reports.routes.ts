import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '#shared/contracts/common.ts';
import { afterActionReportSchema, newsReleaseQuerySchema } from '#shared/contracts/reports.ts';
import type { RequestContext } from '../../context.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { newsReleaseDocx, newsReleaseMarkdown } from './news-release.ts';
import { reportBundle } from './report-bundle.ts';
import { renderReportPdf } from './report-pdf.ts';
import { buildInitiativeReport, buildNewsRelease } from './reports.service.ts';

/** A file name from an initiative's name: `after-action-human-trafficking-awareness-week.pdf`. */
function fileName(prefix: string, name: string, extension: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${prefix}-${slug || 'initiative'}.${extension}`;
}

export const reportsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  const common = {
    config: { access: 'reports:read' as const },
    tags: ['reports'],
  };
  const report = (ctx: RequestContext, id: string) => buildInitiativeReport(db, ctx, id);

  app.get(
    '/api/initiatives/:id/report.json',
    {
      config: common.config,
      schema: {
        tags: common.tags,
        summary: "An initiative's after-action report: totals against goals, breakdowns, places",
        params: idParamsSchema,
        response: { 200: afterActionReportSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => report(contextOf(request), request.params.id),
  );

  app.get(
    '/api/initiatives/:id/report.pdf',
    {
      config: common.config,
      schema: {
        tags: common.tags,
        summary: 'The after-action report as a PDF',
        params: idParamsSchema,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const built = await report(contextOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="${fileName('after-action', built.initiative.name, 'pdf')}"`,
        )
        .send(renderReportPdf(built));
    },
  );

  app.get(
    '/api/initiatives/:id/report.zip',
    {
      config: common.config,
      schema: {
        tags: common.tags,
        summary:
          'The CSV bundle: the report as JSON, its tables and the export of every record, zipped',
        params: idParamsSchema,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const built = await report(ctx, request.params.id);
      return reply
        .type('application/zip')
        .header(
          'content-disposition',
          `attachment; filename="${fileName('after-action', built.initiative.name, 'zip')}"`,
        )
        .send(await reportBundle(db, ctx, built));
    },
  );

  for (const format of ['md', 'docx'] as const) {
    app.get(
      `/api/initiatives/:id/news-release.${format}`,
      {
        config: common.config,
        schema: {
          tags: common.tags,
          summary:
            format === 'md'
              ? 'A news-release draft in Markdown, every figure footnoted with its source'
              : 'A news-release draft as a Word document, every figure footnoted with its source',
          description:
            'statistics: reference series to quote, each as KEY or KEY@PERIOD, separated by commas ' +
            '(bjs.federal.referred@FY2021,nhth.missouri.signals). Nothing is sent anywhere: the ' +
            'supervisor edits the draft before publishing it.',
          params: idParamsSchema,
          querystring: newsReleaseQuerySchema,
          produces: [
            format === 'md'
              ? 'text/markdown'
              : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          ],
        },
      },
      async (request, reply) => {
        const release = await buildNewsRelease(
          db,
          contextOf(request),
          request.params.id,
          request.query.statistics,
        );
        const name = fileName('news-release', release.headline, format);
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'md') {
          return reply.type('text/markdown; charset=utf-8').send(newsReleaseMarkdown(release));
        }
        return reply
          .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .send(await newsReleaseDocx(release));
      },
    );
  }
};
