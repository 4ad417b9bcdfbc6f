import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '#shared/contracts/common.ts';
import {
  coordinatorInitiativeSchema,
  coordinatorResultsSchema,
  createCoordinatorInitiativeSchema,
  requestRevisionSchema,
  submissionSchema,
  submitSchema,
  updateSubmissionSchema,
} from '#shared/contracts/coordination.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { coordinatorReportBundle } from '../reports/coordinator-report-bundle.ts';
import { renderCoordinatorReportPdf } from '../reports/coordinator-report-pdf.ts';
import {
  coordinatorResults,
  createCoordinatorInitiative,
  getCoordinatorInitiative,
  getOwnSubmission,
  joinCoordinatorInitiative,
  listCoordinatorInitiatives,
  requestRevision,
  resultsCsv,
  submitOwnSubmission,
  updateOwnSubmission,
} from './coordination.service.ts';

const base = '/api/coordinator-initiatives';
const tags = ['coordination'];

export const coordinationRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    base,
    {
      config: { access: 'coordination:read' },
      schema: {
        tags,
        summary: 'Initiatives coordinating bodies publish, each saying whether your agency joined',
        response: { 200: z.array(coordinatorInitiativeSchema), ...problemResponses(401, 403) },
      },
    },
    (request) => listCoordinatorInitiatives(db, contextOf(request)),
  );

  app.post(
    base,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags,
        summary: 'Publish an initiative for agencies to join: its dates in each country',
        body: createCoordinatorInitiativeSchema,
        response: {
          200: coordinatorInitiativeSchema,
          201: coordinatorInitiativeSchema,
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const { initiative, created } = await createCoordinatorInitiative(
        db,
        contextOf(request),
        request.body,
      );
      return reply.code(created ? 201 : 200).send(initiative);
    },
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: 'coordination:read' },
      schema: {
        tags,
        params: idParamsSchema,
        response: { 200: coordinatorInitiativeSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getCoordinatorInitiative(db, contextOf(request), request.params.id),
  );

  app.post(
    `${base}/:id/join`,
    {
      config: { access: 'submissions:write' },
      schema: {
        tags,
        summary: "Join: a draft submission, prefilled from the agency's records for its dates",
        params: idParamsSchema,
        response: {
          200: submissionSchema,
          201: submissionSchema,
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { submission, created } = await joinCoordinatorInitiative(
        db,
        contextOf(request),
        request.params.id,
      );
      return reply.code(created ? 201 : 200).send(submission);
    },
  );

  app.get(
    `${base}/:id/submission`,
    {
      config: { access: 'submissions:read' },
      schema: {
        tags,
        summary: "Your agency's submission, with what its records say now beside it",
        params: idParamsSchema,
        response: { 200: submissionSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getOwnSubmission(db, contextOf(request), request.params.id),
  );

  app.patch(
    `${base}/:id/submission`,
    {
      config: { access: 'submissions:write' },
      schema: {
        tags,
        summary: 'Change the draft (or a reopened submission); name the version you read',
        params: idParamsSchema,
        body: updateSubmissionSchema,
        response: { 200: submissionSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => updateOwnSubmission(db, contextOf(request), request.params.id, request.body),
  );

  app.post(
    `${base}/:id/submission/submit`,
    {
      config: { access: 'submissions:write' },
      schema: {
        tags,
        summary: 'Submit: the counts are locked and count toward the coordinator’s totals',
        params: idParamsSchema,
        body: submitSchema,
        response: { 200: submissionSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      submitOwnSubmission(db, contextOf(request), request.params.id, request.body.version),
  );

  app.get(
    `${base}/:id/results`,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags,
        summary:
          'Each participating agency’s counts and the totals of the submitted ones (counts only)',
        params: idParamsSchema,
        response: { 200: coordinatorResultsSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => coordinatorResults(db, contextOf(request), request.params.id),
  );

  app.get(
    `${base}/:id/results.csv`,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags,
        summary: 'The submitted counts as CSV, a jurisdiction a row and the total last',
        params: idParamsSchema,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const results = await coordinatorResults(db, contextOf(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="submissions.csv"')
        .send(resultsCsv(results));
    },
  );

  app.get(
    `${base}/:id/report.pdf`,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags: [...tags, 'reports'],
        summary:
          'The after-action report of the coordinator initiative: combined totals and each agency’s counts',
        params: idParamsSchema,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const results = await coordinatorResults(db, contextOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="after-action-coordinator.pdf"')
        .send(renderCoordinatorReportPdf(results, new Date().toISOString()));
    },
  );

  app.get(
    `${base}/:id/report.json`,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags: [...tags, 'reports'],
        summary: 'The after-action report of the coordinator initiative as JSON (the results)',
        params: idParamsSchema,
        response: { 200: coordinatorResultsSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const results = await coordinatorResults(db, contextOf(request), request.params.id);
      reply.header('content-disposition', 'attachment; filename="after-action-coordinator.json"');
      return results;
    },
  );

  app.get(
    `${base}/:id/report.zip`,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags: [...tags, 'reports'],
        summary:
          'The CSV bundle of the coordinator initiative: the results, the submitted counts and each agency’s account',
        params: idParamsSchema,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      const results = await coordinatorResults(db, contextOf(request), request.params.id);
      return reply
        .type('application/zip')
        .header('content-disposition', 'attachment; filename="after-action-coordinator.zip"')
        .send(coordinatorReportBundle(results));
    },
  );

  app.post(
    `${base}/:id/submissions/:agencyId/request-revision`,
    {
      config: { access: 'coordination:manage' },
      schema: {
        tags,
        summary: 'Reopen an agency’s submission for a revision, saying what to revise',
        params: z.object({ id: z.uuid(), agencyId: z.uuid() }),
        body: requestRevisionSchema,
        response: { 200: submissionSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      requestRevision(
        db,
        contextOf(request),
        request.params.id,
        request.params.agencyId,
        request.body.reason,
      ),
  );
};
