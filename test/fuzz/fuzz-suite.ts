import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config.ts';
import { createTestDatabase, type TestDatabase } from '../test-database.ts';
import { outsideCases } from './outside-cases.ts';
import { type FuzzWorld, fuzzedRoutes, fuzzRoute, prepareWorld, routeKey } from './route-fuzz.ts';

/** Cases per route in `npm test`; `npm run fuzz` runs 10,000 and more (scripts/fuzz.ts). */
const casesPerRoute = Number(process.env.MILEPOST_FUZZ_CASES ?? 200);

/**
 * One shard of the fuzz of every route: the routes whose place in the sorted route table is
 * `shard` modulo `shards`, so that a route added later is fuzzed by a shard without anyone
 * listing it, and the shards run beside each other as test files of their own.
 */
export function describeFuzzShard(shard: number, shards: number): void {
  let database: TestDatabase;
  let world: FuzzWorld;

  beforeAll(async () => {
    database = await createTestDatabase();
    world = await prepareWorld(database, loadConfig({}));
  });
  afterAll(async () => {
    await world?.close();
    await database?.close();
  });

  describe(`fuzz of every route, shard ${shard + 1} of ${shards}`, () => {
    it(
      'answers every hostile request below 500, and a refusal writes nothing',
      async () => {
        const routes = fuzzedRoutes(world.app).filter((_, index) => index % shards === shard);
        expect(routes.length).toBeGreaterThan(0);
        const broken: string[] = [];
        for (const route of routes) {
          const seed = Number(process.env.MILEPOST_FUZZ_SEED ?? Date.now() % 2 ** 31);
          const examples = outsideCases(world).filter((c) => c.route === routeKey(route));
          const report = await fuzzRoute(world, route, { cases: casesPerRoute, seed, examples });
          if (report.serverErrors + report.partialWrites + report.malformedRefusals > 0) {
            broken.push(
              `${routeKey(route)} (seed ${seed}): ${report.serverErrors} × 5xx, ${report.partialWrites} partial writes, ` +
                `${report.malformedRefusals} malformed refusals\n${JSON.stringify(report.failures, null, 1)}`,
            );
          }
        }
        expect(broken, broken.join('\n\n')).toEqual([]);
      },
      30 * 60_000,
    );
  });
}
