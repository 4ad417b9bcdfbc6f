import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

let t: TestApp;
let supervisor: string;
let officer: string;
let otherAgencySupervisor: string;

async function call(cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object) {
  return t.app.inject({ method, url, headers: { cookie }, ...(body ? { payload: body } : {}) });
}

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db, { timeZone: 'America/Chicago' });
  const other = await newAgency(t.database.db);
  supervisor = await t.signIn(
    (await newUser(t.database.db, agency.id, { role: 'supervisor' })).email,
  );
  officer = await t.signIn((await newUser(t.database.db, agency.id)).email);
  otherAgencySupervisor = await t.signIn(
    (await newUser(t.database.db, other.id, { role: 'supervisor' })).email,
  );
});
afterAll(() => t.close());

describe("an agency's own metrics", () => {
  const metricId = randomUUID();
  const schoolVisits = { id: metricId, key: 'school_visits', label: 'School visits' };

  it('are added by a supervisor, once, and listed after the catalogue', async () => {
    const created = await call(supervisor, 'POST', '/api/metrics', schoolVisits);
    expect(created.statusCode, created.body).toBe(201);
    const replay = await call(supervisor, 'POST', '/api/metrics', schoolVisits);
    expect(replay.statusCode).toBe(200);
    const listed = (await call(officer, 'GET', '/api/metrics')).json();
    expect(listed.at(-1)).toMatchObject({
      key: 'school_visits',
      source: 'activities',
      agencyMetricId: metricId,
    });
    expect(listed.filter((m: { key: string }) => m.key === 'wallet_cards')).toHaveLength(1);
    // Another agency does not see it.
    const theirs = (await call(otherAgencySupervisor, 'GET', '/api/metrics')).json();
    expect(theirs.some((m: { key: string }) => m.key === 'school_visits')).toBe(false);
  });

  it('may not take the key of a catalogue metric or of another of its own', async () => {
    for (const key of ['wallet_cards', 'school_visits']) {
      const clash = await call(supervisor, 'POST', '/api/metrics', {
        id: randomUUID(),
        key,
        label: 'Clash',
      });
      expect(clash.statusCode).toBe(409);
      expect(clash.json().errors[0].field).toBe('key');
    }
    const badKey = await call(supervisor, 'POST', '/api/metrics', {
      id: randomUUID(),
      key: 'School Visits',
      label: 'Bad',
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors[0].field).toBe('key');
  });

  it('are logged as activities, set as goals and counted in the summary', async () => {
    const initiativeId = randomUUID();
    const initiative = await call(supervisor, 'POST', '/api/initiatives', {
      id: initiativeId,
      name: 'Back to school',
      startsOn: '2026-09-01',
      endsOn: '2026-09-30',
      goals: { school_visits: 10, presentations: 4 },
    });
    expect(initiative.statusCode, initiative.body).toBe(201);
    for (const count of [2, 3]) {
      const logged = await call(officer, 'POST', '/api/activities', {
        id: randomUUID(),
        occurredAt: '2026-09-10T10:00:00-05:00',
        kind: 'school_visits',
        count,
      });
      expect(logged.statusCode, logged.body).toBe(201);
    }
    const summary = (
      await call(supervisor, 'GET', `/api/initiatives/${initiativeId}/summary`)
    ).json();
    expect(summary.totals.school_visits).toBe(5);
    expect(summary.totals.presentations).toBe(0);
    expect(summary.goals).toContainEqual({
      metric: 'school_visits',
      goal: 10,
      actual: 5,
      progress: 0.5,
    });
  });

  it('are the only kinds of activity and goals beyond the catalogue', async () => {
    const activity = await call(officer, 'POST', '/api/activities', {
      id: randomUUID(),
      occurredAt: '2026-09-10T10:00:00-05:00',
      kind: 'county_fairs',
    });
    expect(activity.statusCode).toBe(400);
    expect(activity.json().errors[0].field).toBe('kind');
    const initiative = await call(supervisor, 'POST', '/api/initiatives', {
      id: randomUUID(),
      name: 'Unknown goal',
      startsOn: '2026-10-01',
      endsOn: '2026-10-07',
      goals: { county_fairs: 3 },
    });
    expect(initiative.statusCode).toBe(400);
    expect(initiative.json().errors[0].field).toBe('goals.county_fairs');
    // Another agency cannot use this agency's metric.
    const theirs = await call(otherAgencySupervisor, 'POST', '/api/activities', {
      id: randomUUID(),
      occurredAt: '2026-09-10T10:00:00-05:00',
      kind: 'school_visits',
    });
    expect(theirs.statusCode).toBe(400);
  });

  it('are not added by an officer', async () => {
    const refused = await call(officer, 'POST', '/api/metrics', {
      id: randomUUID(),
      key: 'ride_alongs',
      label: 'Ride-alongs',
    });
    expect(refused.statusCode).toBe(403);
  });
});
