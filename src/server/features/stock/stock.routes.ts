import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '#shared/contracts/common.ts';
import {
  createMaterialSchema,
  createStockMovementSchema,
  materialSchema,
  shortfallSchema,
  stockHoldingSchema,
  stockMovementSchema,
  stockQuerySchema,
} from '#shared/contracts/stock.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import {
  createMaterial,
  createStockMovement,
  listHoldings,
  listMaterials,
  listMovements,
  listShortfalls,
  resolveShortfall,
} from './stock.service.ts';

export const stockRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/materials',
    {
      config: { access: 'materials:read' },
      schema: {
        tags: ['stock'],
        summary: 'The agency’s catalogue of awareness material',
        response: {
          200: z.object({ items: z.array(materialSchema) }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listMaterials(db, contextOf(request)) }),
  );

  app.post(
    '/api/materials',
    {
      config: { access: 'materials:write' },
      schema: {
        tags: ['stock'],
        summary: 'Add a material to the catalogue',
        body: createMaterialSchema,
        response: {
          200: materialSchema,
          201: materialSchema,
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const { material, created } = await createMaterial(db, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(material);
    },
  );

  app.get(
    '/api/stock',
    {
      config: { access: 'stock:read' },
      schema: {
        tags: ['stock'],
        summary: 'Stock on hand per material and holder, derived from the ledger',
        querystring: stockQuerySchema,
        response: {
          200: z.object({ items: z.array(stockHoldingSchema) }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await listHoldings(db, contextOf(request), request.query) }),
  );

  app.get(
    '/api/stock/movements',
    {
      config: { access: 'stock:read' },
      schema: {
        tags: ['stock'],
        querystring: pageQuerySchema,
        response: { 200: pageSchema(stockMovementSchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listMovements(db, contextOf(request), request.query),
  );

  app.post(
    '/api/stock/movements',
    {
      config: { access: 'stock:write' },
      schema: {
        tags: ['stock'],
        summary: 'Receive a delivery, issue to an officer, take a return, write off',
        body: createStockMovementSchema,
        response: {
          200: stockMovementSchema,
          201: stockMovementSchema,
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const { movement, created } = await createStockMovement(db, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(movement);
    },
  );

  app.get(
    '/api/stock/shortfalls',
    {
      config: { access: 'stock:write' },
      schema: {
        tags: ['stock'],
        summary: 'Material handed out beyond stock on hand, to reconcile',
        response: {
          200: z.object({ items: z.array(shortfallSchema) }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listShortfalls(db, contextOf(request)) }),
  );

  app.post(
    '/api/stock/shortfalls/:id/resolve',
    {
      config: { access: 'stock:write' },
      schema: {
        tags: ['stock'],
        params: z.object({ id: z.string().regex(/^\d+$/, 'must be a shortfall id') }),
        response: { 200: shortfallSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => resolveShortfall(db, contextOf(request), request.params.id),
  );
};
