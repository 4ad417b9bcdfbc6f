import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config.ts';
import { createTestDatabase, type TestDatabase } from '../test-database.ts';
import { outsideCases } from './outside-cases.ts';
import { type FuzzWorld, prepareWorld } from './route-fuzz.ts';
import { auditActionsSince, tableState, transactionCounter, unexpectedChanges } from './writes.ts';

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

describe('the cases an outside fuzz answered with 500', () => {
  it('refuses each with a 400 that names its field, and writes nothing', async () => {
    const { db } = database;
    const cases = outsideCases(world);
    expect(cases.length).toBeGreaterThan(15);
    for (const { route, role, request, field } of cases) {
      const label = `${route}: ${request.url} ${request.payload?.slice(0, 80) ?? ''}`;
      const cookie = role ? world.sessions.get(role)?.cookie : undefined;
      const before = await transactionCounter(db);
      const baseline = await tableState(db, before);
      const response = await world.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: { ...request.headers, ...(cookie ? { cookie } : {}) },
        ...(request.payload === undefined ? {} : { payload: request.payload }),
      });
      expect(response.statusCode, label).toBe(400);
      if (request.url.startsWith('/api/')) {
        expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
        const fields = (response.json().errors as { field: string }[]).map((e) => e.field);
        expect(fields, label).toContain(field);
      } else {
        // The public form, sent back with the field's error linked to it.
        expect(response.body, label).toContain(`href="#${field}"`);
      }
      const after = await transactionCounter(db);
      if (after !== before) {
        const changes = unexpectedChanges(
          baseline,
          await tableState(db, before),
          await auditActionsSince(db, before),
        );
        expect(changes, label).toEqual([]);
      }
    }
  });
});
