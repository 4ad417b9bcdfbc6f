import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readMigrationStatus } from '#db/migration-status.ts';
import type { RouteDeps } from '../../http/deps.ts';

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({
    engine: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
    pendingMigrations: z.array(z.string()),
  }),
});

export const healthRoutes: FastifyPluginAsyncZod<
  RouteDeps & { engine: 'pglite' | 'postgres' }
> = async (app, { db, engine }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        tags: ['health'],
        summary: 'The database is reachable and fully migrated',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (request, reply) => {
      let reachable = false;
      let pending: string[] = [];
      try {
        await db.execute(sql`select 1`);
        reachable = true;
        pending = (await readMigrationStatus(db)).pending;
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
      }
      const ready = reachable && pending.length === 0;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: { engine, reachable, pendingMigrations: pending },
      });
    },
  );
};
