import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '#db/schema.ts';
import { newAgency, newMaterial, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

/**
 * What an officer sees of the squad: their own stock and stock movements, the agency's totals,
 * and of the per-officer breakdown their own line alone. Supervisors and analysts see everyone.
 */

let t: TestApp;
const cookies: Record<'supervisor' | 'analyst' | 'agencyAdmin' | 'first' | 'second', string> = {
  supervisor: '',
  analyst: '',
  agencyAdmin: '',
  first: '',
  second: '',
};
let first: { id: string; email: string };
let second: { id: string; email: string };
let initiativeId: string;
const today = new Date().toISOString().slice(0, 10);

async function call(cookie: string, method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
}

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db, { timeZone: 'UTC' });
  const supervisor = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  first = await newUser(t.database.db, agency.id, { displayName: 'Officer First' });
  second = await newUser(t.database.db, agency.id, { displayName: 'Officer Second' });
  cookies.supervisor = await t.signIn(supervisor.email);
  cookies.analyst = await t.signIn(
    (await newUser(t.database.db, agency.id, { role: 'analyst' })).email,
  );
  cookies.agencyAdmin = await t.signIn(
    (await newUser(t.database.db, agency.id, { role: 'agency_admin' })).email,
  );
  cookies.first = await t.signIn(first.email);
  cookies.second = await t.signIn(second.email);
  const material = await newMaterial(t.database.db, agency.id);
  const move = async (payload: object) => {
    const response = await call(cookies.supervisor, 'POST', '/api/stock/movements', {
      id: randomUUID(),
      materialId: material.id,
      ...payload,
    });
    expect(response.statusCode, response.body).toBe(201);
  };
  await move({ type: 'received', quantity: 100 });
  await move({ type: 'issued', quantity: 10, officerId: first.id });
  await move({ type: 'issued', quantity: 20, officerId: second.id });
  initiativeId = randomUUID();
  const initiative = await call(cookies.supervisor, 'POST', '/api/initiatives', {
    id: initiativeId,
    name: 'This week',
    startsOn: today,
    endsOn: today,
  });
  expect(initiative.statusCode, initiative.body).toBe(201);
  for (const [who, quantity] of [
    ['first', 2],
    ['second', 3],
  ] as const) {
    const inspection = await call(cookies[who], 'POST', '/api/inspections', {
      id: randomUUID(),
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      level: 'III',
      outreachGiven: true,
      materials: [{ materialId: material.id, quantity }],
    });
    expect(inspection.statusCode, inspection.body).toBe(201);
  }
});
afterAll(() => t.close());

type Holding = { holderId: string | null; onHand: number };
type Movement = { officerId: string | null; type: string };
type OfficerLine = { officerId: string; materialsHandedOut: number };

describe('an officer', () => {
  it('sees their own stock only, whichever holder they ask for', async () => {
    for (const url of ['/api/stock', `/api/stock?holderId=${second.id}`]) {
      const response = await call(cookies.first, 'GET', url);
      expect(response.statusCode).toBe(200);
      const items: Holding[] = response.json().items;
      expect(items.map((h) => [h.holderId, h.onHand])).toEqual([[first.id, 8]]);
    }
  });

  it('sees the movements of their own stock only', async () => {
    const response = await call(cookies.first, 'GET', '/api/stock/movements?limit=200');
    expect(response.statusCode).toBe(200);
    const items: Movement[] = response.json().items;
    expect(items.map((m) => [m.type, m.officerId])).toEqual([['issued', first.id]]);
  });

  it('sees the agency’s totals, and of the per-officer breakdown their own line', async () => {
    for (const url of [
      `/api/summary?from=${today}&to=${today}`,
      `/api/initiatives/${initiativeId}/summary`,
    ]) {
      const response = await call(cookies.first, 'GET', url);
      expect(response.statusCode, response.body).toBe(200);
      const summary = response.json();
      expect(summary.totals).toMatchObject({ inspections: 2, materials_handed_out: 5 });
      const lines: OfficerLine[] = summary.byOfficer;
      expect(lines.map((o) => [o.officerId, o.materialsHandedOut])).toEqual([[first.id, 2]]);
    }
  });
});

describe('those who watch the squad', () => {
  it('see every holder, every movement and every officer’s line', async () => {
    for (const who of ['supervisor', 'analyst'] as const) {
      const stock: Holding[] = (await call(cookies[who], 'GET', '/api/stock')).json().items;
      expect(stock.map((h) => h.holderId).sort()).toEqual([first.id, second.id, null].sort());
      const movements: Movement[] = (
        await call(cookies[who], 'GET', '/api/stock/movements?limit=200')
      ).json().items;
      expect(movements).toHaveLength(3);
    }
    for (const who of ['supervisor', 'analyst', 'agencyAdmin'] as const) {
      const summary = (
        await call(cookies[who], 'GET', `/api/summary?from=${today}&to=${today}`)
      ).json();
      const lines: OfficerLine[] = summary.byOfficer;
      expect(lines.map((o) => o.officerId).sort(), who).toEqual([first.id, second.id].sort());
    }
  });
});

describe('a deactivated officer', () => {
  it('is issued no stock, and what they held can still come back to the store', async () => {
    const agency = await newAgency(t.database.db, { timeZone: 'UTC' });
    const supervisor = await t.signIn(
      (await newUser(t.database.db, agency.id, { role: 'supervisor' })).email,
    );
    const officer = await newUser(t.database.db, agency.id);
    const material = await newMaterial(t.database.db, agency.id);
    const move = (payload: object) =>
      call(supervisor, 'POST', '/api/stock/movements', {
        id: randomUUID(),
        materialId: material.id,
        ...payload,
      });
    expect((await move({ type: 'received', quantity: 10 })).statusCode).toBe(201);
    expect((await move({ type: 'issued', quantity: 4, officerId: officer.id })).statusCode).toBe(
      201,
    );
    await t.database.db.update(users).set({ active: false }).where(eq(users.id, officer.id));

    const refused = await move({ type: 'issued', quantity: 1, officerId: officer.id });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().errors).toEqual([
      { field: 'officerId', message: 'is not an active user of this agency' },
    ]);
    const returned = await move({ type: 'returned', quantity: 4, officerId: officer.id });
    expect(returned.statusCode, returned.body).toBe(201);
    const stock: Holding[] = (await call(supervisor, 'GET', '/api/stock')).json().items;
    expect(stock.find((h) => h.holderId === null)?.onHand).toBe(10);
    expect(stock.find((h) => h.holderId === officer.id)?.onHand ?? 0).toBe(0);
  });
});
