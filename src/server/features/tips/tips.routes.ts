import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema, pageSchema } from '#shared/contracts/common.ts';
import {
  listTipsQuerySchema,
  newReferralSchema,
  newTipNoteSchema,
  tipSchema,
  tipSummarySchema,
  updateTipSchema,
} from '#shared/contracts/tips.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { renderTipPdf } from './tip-pdf.ts';
import {
  addTipNote,
  listTips,
  listTriagers,
  readTip,
  referTip,
  updateTip,
} from './tips.service.ts';

const tags = ['tips'];
/** Every refused attempt at a tip is in the audit log, with who tried. */
const auditRefusal = { action: 'tip.access_refused', entityType: 'tip' };
const reader = { access: 'tips:read' as const, auditRefusal };
const writer = { access: 'tips:write' as const, auditRefusal };

/** The tip queue of the agency's supervisors and investigators. */
export const tipsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db, secrets }) => {
  app.get(
    '/api/tips',
    {
      config: reader,
      schema: {
        tags,
        summary: 'The tip queue, newest first: what each tip is about, never what it says',
        querystring: listTipsQuerySchema,
        response: { 200: pageSchema(tipSummarySchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listTips(db, contextOf(request), request.query),
  );

  app.get(
    '/api/tips/triagers',
    {
      config: reader,
      schema: {
        tags,
        summary: 'Who a tip may be assigned to: the agency’s supervisors and investigators',
        response: {
          200: z.array(z.object({ id: z.uuid(), displayName: z.string(), role: z.string() })),
          ...problemResponses(401, 403),
        },
      },
    },
    (request) => listTriagers(db, contextOf(request)),
  );

  app.get(
    '/api/tips/:id',
    {
      config: reader,
      schema: {
        tags,
        summary: 'A tip whole, opened; every reading is audited',
        params: idParamsSchema,
        response: { 200: tipSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => readTip(db, secrets, contextOf(request), request.params.id),
  );

  app.patch(
    '/api/tips/:id',
    {
      config: writer,
      schema: {
        tags,
        summary: 'Change a tip’s state, outcome or assignee, at the version read',
        params: idParamsSchema,
        body: updateTipSchema,
        response: { 200: tipSummarySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => updateTip(db, contextOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/tips/:id/notes',
    {
      config: writer,
      schema: {
        tags,
        summary: 'Add an internal note to a tip',
        params: idParamsSchema,
        body: newTipNoteSchema,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await addTipNote(db, secrets, contextOf(request), request.params.id, request.body.text);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/tips/:id/referrals',
    {
      config: writer,
      schema: {
        tags,
        summary:
          'Record that the tip was passed on: to whom, what was shared, when (Milepost sends nothing)',
        params: idParamsSchema,
        body: newReferralSchema,
        response: { 200: tipSummarySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => referTip(db, secrets, contextOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/tips/:id/referral.pdf',
    {
      config: reader,
      schema: {
        tags,
        summary: 'The tip as a PDF to pass on with a referral (the sender’s contact left out)',
        params: idParamsSchema,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const tip = await readTip(db, secrets, contextOf(request), request.params.id, 'exported');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="tip-${tip.id.slice(0, 8)}.pdf"`)
        .header('cache-control', 'no-store')
        .send(renderTipPdf(tip, new Date().toISOString()));
    },
  );
};
