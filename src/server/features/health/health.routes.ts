import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '#db/client.ts';
import { storageFailureKinds } from '#db/errors.ts';
import { readMigrationStatus } from '#db/migration-status.ts';
import type { RouteDeps } from '../../http/deps.ts';

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({
    engine: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
    pendingMigrations: z.array(z.string()),
    /** Why the database cannot write now (a full or read-only disk...), or null. */
    storageProblem: z
      .object({
        kind: z.enum(storageFailureKinds),
        detail: z.string(),
        since: z.string(),
        engineStopped: z.boolean(),
      })
      .nullable(),
  }),
});

export const healthRoutes: FastifyPluginAsyncZod<RouteDeps & { database: DatabaseHandle }> = async (
  app,
  { database },
) => {
  const { db, engine } = database;
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
      const problem = database.readStorageProblem();
      // A stopped engine is not asked: it answers nothing until it is reopened.
      if (!problem?.engineStopped) {
        try {
          await db.execute(sql`select 1`);
          reachable = true;
          pending = (await readMigrationStatus(db)).pending;
        } catch (error) {
          // The log's error serializer keeps its kind and SQLSTATE, never a statement's values.
          request.log.warn({ err: error }, 'readiness check failed');
        }
      }
      const storageProblem = database.readStorageProblem();
      const ready = reachable && pending.length === 0 && storageProblem === null;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: {
          engine,
          reachable,
          pendingMigrations: pending,
          storageProblem: storageProblem && {
            ...storageProblem,
            since: storageProblem.since.toISOString(),
          },
        },
      });
    },
  );
};
