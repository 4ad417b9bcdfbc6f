import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema, pageSchema } from '#shared/contracts/common.ts';
import {
  createPlaceSchema,
  listPlacesQuerySchema,
  placeSchema,
  updatePlaceSchema,
} from '#shared/contracts/places.ts';
import { contextOf } from '../../http/access.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';
import { createPlace, getPlace, listPlaces, updatePlace } from './places.service.ts';

export const placesRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { db }) => {
  app.get(
    '/api/places',
    {
      config: { access: 'places:read' },
      schema: {
        tags: ['places'],
        summary: 'Places by name, or the nearest first with near=LAT,LON',
        querystring: listPlacesQuerySchema,
        response: { 200: pageSchema(placeSchema), ...problemResponses(400, 401, 403) },
      },
    },
    (request) => listPlaces(db, contextOf(request), request.query),
  );

  app.post(
    '/api/places',
    {
      config: { access: 'places:write' },
      schema: {
        tags: ['places'],
        summary: 'Add a place; sending the same request again returns it unchanged (200)',
        body: createPlaceSchema,
        response: { 200: placeSchema, 201: placeSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { place, created } = await createPlace(db, contextOf(request), request.body);
      return reply.code(created ? 201 : 200).send(place);
    },
  );

  app.get(
    '/api/places/:id',
    {
      config: { access: 'places:read' },
      schema: {
        tags: ['places'],
        params: idParamsSchema,
        response: { 200: placeSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => getPlace(db, contextOf(request), request.params.id),
  );

  app.patch(
    '/api/places/:id',
    {
      config: { access: 'places:write' },
      schema: {
        tags: ['places'],
        params: idParamsSchema,
        body: updatePlaceSchema,
        response: { 200: placeSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => updatePlace(db, contextOf(request), request.params.id, request.body),
  );
};
