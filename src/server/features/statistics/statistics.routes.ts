import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checkStatisticSchema,
  createObservationSchema,
  createSeriesSchema,
  derivedFigureSchema,
  derivedQuerySchema,
  observationSchema,
  seriesKeySchema,
  seriesSchema,
  seriesWithObservationsSchema,
  statisticCheckSchema,
  statisticsImportReportSchema,
} from '#shared/contracts/statistics.ts';
import { ValidationError } from '../../errors.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import {
  checkStatistic,
  createSeries,
  deriveFigure,
  getStatisticSeries,
  listStatistics,
  recordObservation,
} from './statistics.service.ts';
import { importBjsTable, importStatisticsCsv, statisticsCsvColumns } from './statistics-imports.ts';

/** The text of a CSV upload; a body of another type (a JSON document, a form) is refused. */
function csvTextOf(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') throw ValidationError.field('content-type', 'must be text/csv');
  return body;
}

/** Reference-statistics files are small: a publication's tables. */
const maxStatisticsBytes = 5 * 1024 * 1024;

export const statisticsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: maxStatisticsBytes },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/statistics',
    {
      config: { access: 'statistics:read' },
      schema: {
        tags: ['statistics'],
        summary: 'Every reference series with its observations (revised ones marked superseded)',
        response: { 200: z.array(seriesWithObservationsSchema), ...problemResponses(401, 403) },
      },
    },
    () => listStatistics(db),
  );

  app.get(
    '/api/statistics/series/:key',
    {
      config: { access: 'statistics:read' },
      schema: {
        tags: ['statistics'],
        summary: 'One series with its observations',
        params: z.object({ key: seriesKeySchema }),
        response: { 200: seriesWithObservationsSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getStatisticSeries(db, request.params.key),
  );

  app.post(
    '/api/statistics/series',
    {
      config: { access: 'statistics:write' },
      schema: {
        tags: ['statistics'],
        summary: 'Add a series: what is counted, where, in what unit, and how a report says it',
        body: createSeriesSchema,
        response: { 200: seriesSchema, 201: seriesSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { series, created } = await createSeries(db, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(series);
    },
  );

  app.post(
    '/api/statistics/observations',
    {
      config: { access: 'statistics:write' },
      schema: {
        tags: ['statistics'],
        summary:
          'Record a published figure with its source; one for a period that has one revises it',
        body: createObservationSchema,
        response: {
          200: observationSchema,
          201: observationSchema,
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { observation, created } = await recordObservation(
        db,
        contextOf(request),
        request.body,
      );
      return reply.code(created ? 201 : 200).send(observation);
    },
  );

  app.post(
    '/api/statistics/check',
    {
      config: { access: 'statistics:read' },
      schema: {
        tags: ['statistics'],
        summary: 'Check a stated figure (and a stated change) against the stored ones',
        body: checkStatisticSchema,
        response: { 200: statisticCheckSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => checkStatistic(db, request.body),
  );

  app.get(
    '/api/statistics/derived',
    {
      config: { access: 'statistics:read' },
      schema: {
        tags: ['statistics'],
        summary:
          'A figure computed from stored ones: kind=change (series, from, to), kind=cumulative ' +
          '(series, from, to) or kind=share (series, of, period)',
        querystring: derivedQuerySchema,
        response: { 200: derivedFigureSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => deriveFigure(db, request.query),
  );

  app.post(
    '/api/imports/statistics',
    {
      config: { access: 'statistics:write' },
      bodyLimit: maxStatisticsBytes,
      schema: {
        tags: ['imports', 'statistics'],
        summary: 'Import reference statistics from CSV (text/csv), one observation a row',
        description:
          `Header: ${statisticsCsvColumns.join(',')}. subject, geography and unit are needed ` +
          'only for a series Milepost does not hold yet. A figure equal to the latest for its ' +
          'period is left alone; a different one revises it. Any invalid row refuses the file.',
        response: {
          200: statisticsImportReportSchema,
          ...problemResponses(400, 401, 403, 413, 415),
        },
      },
    },
    (request) => importStatisticsCsv(db, contextOf(request), csvTextOf(request.body)),
  );

  app.post(
    '/api/imports/statistics/bjs',
    {
      config: { access: 'statistics:write' },
      bodyLimit: maxStatisticsBytes,
      schema: {
        tags: ['imports', 'statistics'],
        summary:
          'Import a BJS appendix table (text/csv): fiscal years in rows, counts of persons ' +
          'referred, prosecuted and convicted in columns',
        querystring: z.object({
          publication: z.string(),
          sourceOrganisation: z.string().optional(),
          url: z.string().optional(),
          sourceTable: z.string().optional(),
          publishedOn: z.string().optional(),
          retrievedOn: z.string().optional(),
        }),
        response: {
          200: statisticsImportReportSchema.extend({ ignoredColumns: z.array(z.string()) }),
          ...problemResponses(400, 401, 403, 413, 415),
        },
      },
    },
    (request) => importBjsTable(db, contextOf(request), csvTextOf(request.body), request.query),
  );
};
