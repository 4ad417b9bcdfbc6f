import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { importQuerySchema, importReportSchema } from '#shared/contracts/imports.ts';
import { ValidationError } from '../../errors.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { importInspections, importPlaces } from './imports.service.ts';

/** Import files up to this size: a state's year of inspections, or a region's places. */
const maxImportBytes = 200 * 1024 * 1024;

export const importsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  // A CSV upload arrives as a stream and is read row by row; GeoJSON is one JSON document.
  app.addContentTypeParser('text/csv', { bodyLimit: maxImportBytes }, (_request, payload, done) =>
    done(null, payload),
  );
  app.addContentTypeParser(
    ['application/geo+json', 'application/vnd.geo+json'],
    { parseAs: 'string', bodyLimit: maxImportBytes },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(new ValidationError([{ field: 'body', message: 'is not valid JSON' }]));
      }
    },
  );

  app.post(
    '/api/imports/places',
    {
      config: { access: 'imports:write' },
      bodyLimit: maxImportBytes,
      schema: {
        tags: ['imports'],
        summary:
          'Import places: Milepost CSV (text/csv) or OpenStreetMap GeoJSON (application/geo+json)',
        description:
          'CSV header: kind,name,lat,lon,address,brand,operator,highway,exit. A place with the same ' +
          'OpenStreetMap id, or the same name within 150 m, is updated instead of added. Any invalid ' +
          'row refuses the whole file unless skipInvalid=true.',
        querystring: importQuerySchema,
        response: { 200: importReportSchema, ...problemResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const isCsv = (request.headers['content-type'] ?? '').startsWith('text/csv');
      const format = request.query.format ?? (isCsv ? 'csv' : 'geojson');
      const options = { skipInvalid: request.query.skipInvalid };
      if (format === 'csv') {
        if (!isCsv) throw ValidationError.field('content-type', 'must be text/csv for a CSV file');
        return importPlaces(
          db,
          ctx,
          { format, input: request.body as NodeJS.ReadableStream },
          options,
        );
      }
      return importPlaces(db, ctx, { format, document: request.body }, options);
    },
  );

  app.post(
    '/api/imports/inspections',
    {
      config: { access: 'imports:write' },
      bodyLimit: maxImportBytes,
      schema: {
        tags: ['imports'],
        summary: 'Import inspections: Milepost CSV, or a state file with FMCSA columns (text/csv)',
        description:
          'A state file (Report_Number, Report_State, DOT_Number, Insp_Date, Insp_Start_Time, ' +
          'Insp_level_ID, Unit_Type_Desc; any case) joins Milepost’s own inspections by report ' +
          'number. Unknown columns are reported and ignored. Any invalid row refuses the whole ' +
          'file unless skipInvalid=true.',
        querystring: importQuerySchema,
        response: { 200: importReportSchema, ...problemResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      if (!(request.headers['content-type'] ?? '').startsWith('text/csv')) {
        throw ValidationError.field('content-type', 'must be text/csv');
      }
      return importInspections(db, contextOf(request), request.body as NodeJS.ReadableStream, {
        skipInvalid: request.query.skipInvalid,
      });
    },
  );
};
