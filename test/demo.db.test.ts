import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client.ts';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { loadDemo } from '#server/features/demo/demo.service.ts';
import { demoIds } from '#server/features/demo/demo-field-data.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import { createTestDatabase, testEngine } from './test-database.ts';
import { testSecrets } from './test-secrets.ts';

/** A fixed moment, so that two loads of the demo hold the same records. */
const now = Date.parse('2026-01-14T21:30:00Z');
const password = 'demo-password-milepost';

async function demoSummary(database: DatabaseHandle): Promise<Summary> {
  await loadDemo(database.db, password, now);
  const app = await buildApp({
    database,
    config: loadConfig({}),
    secrets: testSecrets,
    logger: false,
  });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'supervisor@demo.milepost.test', password },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const response = await app.inject({
      url: `/api/initiatives/${demoIds.initiative}/summary`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  } finally {
    await app.close();
  }
}

/** The summary without the ids each database gives its own users and places. */
function comparable(summary: Summary) {
  return {
    ...summary,
    byOfficer: summary.byOfficer.map(({ officerId: _id, ...rest }) => rest),
    byPlace: summary.byPlace.map(({ placeId: _id, ...rest }) => rest),
  };
}

let here: DatabaseHandle;
let summary: Summary;

beforeAll(async () => {
  here = await createTestDatabase();
  summary = await demoSummary(here);
}, 120_000);
afterAll(() => here?.close());

describe('the demo', () => {
  it('holds a week of work by five officers against the awareness week’s goals', () => {
    expect(summary.totals.inspections).toBeGreaterThan(100);
    expect(summary.totals.outreach_visits).toBeGreaterThan(5);
    expect(summary.totals.wallet_cards).toBeGreaterThan(200);
    expect(summary.byOfficer).toHaveLength(5);
    expect(summary.byDay.map((d) => d.date)).toEqual([
      '2026-01-10',
      '2026-01-11',
      '2026-01-12',
      '2026-01-13',
      '2026-01-14',
    ]);
    expect(summary.goals.map((g) => g.metric).sort()).toEqual([
      'inspections',
      'outreach_visits',
      'posters',
      'wallet_cards',
      'window_decals',
    ]);
  });

  it('changes nothing when loaded again', async () => {
    const again = await loadDemo(here.db, password, now + 3_600_000);
    expect(again.created).toEqual([]);
  });

  it.runIf(testEngine() === 'postgres')(
    'gives the same summary on PGlite as on PostgreSQL',
    async () => {
      const embedded = await openDatabase({ engine: 'pglite-memory' });
      try {
        await embedded.migrate();
        expect(comparable(await demoSummary(embedded))).toEqual(comparable(summary));
      } finally {
        await embedded.close();
      }
    },
    120_000,
  );
});
