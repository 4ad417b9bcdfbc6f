import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appConfigSchema } from '#shared/contracts/app-config.ts';
import { problemResponses, type RouteDeps } from '../../http/deps.ts';

export const appConfigRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { config }) => {
  app.get(
    '/api/app-config',
    {
      config: { access: 'agency:read' },
      schema: {
        tags: ['app'],
        summary: 'What the web app needs of the server’s configuration (the map’s tiles)',
        response: { 200: appConfigSchema, ...problemResponses(401) },
      },
    },
    async () => ({ map: config.map }),
  );
};
