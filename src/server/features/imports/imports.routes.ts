import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { importQuerySchema, importReportSchema } from '#shared/contracts/imports.ts';
import { ValidationError } from '../../errors.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { ImportTooLargeError, limitedUpload } from './file-input.ts';
import { importInspections, importPlaces } from './imports.service.ts';

/**
 * The largest places file: a statewide OpenStreetMap export of truck stops, travel plazas and
 * rest areas is a few thousand features of 0.5 to 3 KB each, under 10 MB. The whole file is read
 * before it is written, and a GeoJSON document parsed at once (about half a second for 16 MB on
 * a busy 2-core machine, during which nothing else runs), so the limit is kept near the largest
 * real file (decision 0017).
 */
export const maxPlacesFileBytes = 16 * 2 ** 20;
/**
 * The largest inspections file: a year of the busiest state's roadside inspections (at most
 * about 540,000: 15% of the 3.6 million the whole country did in its busiest year) in FMCSA's
 * full layout of some 60 columns, about 370 bytes a row, is 200 MB; this takes two and a half
 * times that. It streams: memory stays flat, and the rows are staged on disk (decision 0017).
 */
export const maxInspectionsFileBytes = 512 * 2 ** 20;

export const importsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  // A CSV upload arrives as a stream and is read row by row, held to the route's limit as it
  // streams (Fastify counts only the bodies it reads itself); GeoJSON is one JSON document.
  app.addContentTypeParser('text/csv', (request, payload, done) => {
    const limit = request.routeOptions.bodyLimit ?? maxPlacesFileBytes;
    if (Number(request.headers['content-length']) > limit) {
      done(new ImportTooLargeError(limit));
      return;
    }
    done(null, limitedUpload(payload, limit));
  });
  app.addContentTypeParser(
    ['application/geo+json', 'application/vnd.geo+json'],
    { parseAs: 'string', bodyLimit: maxPlacesFileBytes },
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
      config: { access: 'imports:write', bodyTextCheckedByRoute: true },
      bodyLimit: maxPlacesFileBytes,
      schema: {
        tags: ['imports'],
        summary:
          'Import places: Milepost CSV (text/csv) or OpenStreetMap GeoJSON (application/geo+json)',
        description:
          'CSV header: kind,name,lat,lon,address,brand,operator,highway,exit. A place with the same ' +
          'OpenStreetMap id, or the same name within 150 m, is updated instead of added. Any invalid ' +
          'row refuses the whole file unless skipInvalid=true. Up to 16 MB. Places are written in ' +
          'batches: others see them arrive while the import runs.',
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
      bodyLimit: maxInspectionsFileBytes,
      schema: {
        tags: ['imports'],
        summary: 'Import inspections: Milepost CSV, or a state file with FMCSA columns (text/csv)',
        description:
          'A state file (Report_Number, Report_State, DOT_Number, Insp_Date, Insp_Start_Time, ' +
          'Insp_level_ID, Unit_Type_Desc; any case) joins Milepost’s own inspections by report ' +
          'number. Unknown columns are reported and ignored. Any invalid row refuses the whole ' +
          'file unless skipInvalid=true. Up to 512 MB. Checked rows are added in batches: others ' +
          'see them arrive while the import runs.',
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
