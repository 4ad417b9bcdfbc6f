import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '#db/client.ts';
import { deleteRecordSchema, idParamsSchema, pageSchema } from '#shared/contracts/common.ts';
import { metricKeySchema } from '#shared/contracts/metrics.ts';
import { listRecordsQuerySchema, recordFilterSchema } from '#shared/contracts/records.ts';
import { contextOf } from '../http/access.ts';
import { problemResponses } from '../http/deps.ts';
import type { RecordTable } from './field-records.repository.ts';
import {
  createRecord,
  deleteRecord,
  exportRecordsCsv,
  getRecord,
  listRecords,
  type RecordKind,
  updateRecord,
} from './field-records.service.ts';

const exportQuerySchema = z.intersection(
  recordFilterSchema,
  z.object({ kind: metricKeySchema.optional() }),
);

interface RecordRoutes<
  T extends RecordTable,
  Create extends z.ZodType,
  Update extends z.ZodType,
  Out extends z.ZodType,
> {
  path: string;
  tag: string;
  kind: RecordKind<
    T,
    z.infer<Create> & { id: string; occurredAt: string; placeId: string | null; notes: string },
    z.infer<Out>
  >;
  create: Create;
  update: Update;
  response: Out;
}

/**
 * The five routes of a kind of field record: list, create (idempotent: 201, or 200 for a
 * replay), read, change at a version, and delete softly with a reason.
 */
export function registerRecordRoutes<
  T extends RecordTable,
  Create extends z.ZodType,
  Update extends z.ZodType,
  Out extends z.ZodType,
>(app: FastifyInstance, db: Database, spec: RecordRoutes<T, Create, Update, Out>): void {
  // NOTE: the type provider cannot follow these generic schemas, so handlers name the parsed
  // types themselves; validation and serialisation still run from the schemas below.
  const api = app;
  type Params = { id: string };
  type Query = z.infer<typeof listRecordsQuerySchema>;
  const item = `${spec.path}/:id`;
  const tags = [spec.tag];

  api.get(
    spec.path,
    {
      config: { access: 'records:read' },
      schema: {
        tags,
        summary: `${spec.kind.label}s, newest first; officers see their own`,
        querystring: listRecordsQuerySchema,
        response: { 200: pageSchema(spec.response), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listRecords(db, contextOf(request), spec.kind, request.query as Query),
  );

  api.get(
    `${spec.path}/export.csv`,
    {
      config: { access: 'records:read' },
      schema: {
        tags,
        summary: `${spec.kind.label}s as CSV, streamed, with the same filters as the list`,
        description:
          'Text cells that a spreadsheet would run as a formula (starting with =, +, -, @) are ' +
          'prefixed with an apostrophe.',
        querystring: exportQuerySchema,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const filter = request.query as z.infer<typeof exportQuerySchema>;
      const stream = await exportRecordsCsv(db, contextOf(request), spec.kind, filter);
      const file = `${spec.path.split('/').at(-1)}-${new Date().toISOString().slice(0, 10)}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(stream);
    },
  );

  api.post(
    spec.path,
    {
      config: { access: 'records:write' },
      schema: {
        tags,
        summary: `Log a ${spec.kind.label}; sending the same request again returns it unchanged (200)`,
        body: spec.create,
        response: {
          200: spec.response,
          201: spec.response,
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const { record, created } = await createRecord(
        db,
        contextOf(request),
        spec.kind,
        request.body as never,
      );
      return reply.code(created ? 201 : 200).send(record);
    },
  );

  api.get(
    item,
    {
      config: { access: 'records:read' },
      schema: {
        tags,
        params: idParamsSchema,
        response: { 200: spec.response, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getRecord(db, contextOf(request), spec.kind, (request.params as Params).id),
  );

  api.patch(
    item,
    {
      config: { access: 'records:write' },
      schema: {
        tags,
        summary: `Change a ${spec.kind.label} at the version you read (409 if it moved on)`,
        params: idParamsSchema,
        body: spec.update,
        response: { 200: spec.response, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      updateRecord(
        db,
        contextOf(request),
        spec.kind,
        (request.params as Params).id,
        request.body as never,
      ),
  );

  api.delete(
    item,
    {
      config: { access: 'records:write' },
      schema: {
        tags,
        summary: `Delete a ${spec.kind.label}, with a reason; its stock goes back`,
        params: idParamsSchema,
        body: deleteRecordSchema,
        response: { 200: spec.response, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      deleteRecord(
        db,
        contextOf(request),
        spec.kind,
        (request.params as Params).id,
        request.body as z.infer<typeof deleteRecordSchema>,
      ),
  );
}
