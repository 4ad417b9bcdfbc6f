import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, auditLog } from '#db/schema.ts';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

let t: TestApp;
let platformCookie: string;

beforeAll(async () => {
  t = await createTestApp();
  const home = await newAgency(t.database.db);
  const platformAdmin = await newUser(t.database.db, home.id, { role: 'admin' });
  platformCookie = await t.signIn(platformAdmin.email);
});
afterAll(() => t.close());

const countAgencies = async () =>
  (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(agencies))[0]?.n;

describe('agencies', () => {
  const create = (payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/agencies',
      headers: { cookie: platformCookie },
      payload,
    });

  it('are created by a platform administrator, with their time zone', async () => {
    const response = await create({
      slug: 'kcmo-cve',
      name: 'Kansas City Police, Commercial Vehicle Enforcement',
      country: 'US',
      region: 'MO',
      timeZone: 'America/Chicago',
      ori: 'MOKPD0000',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      slug: 'kcmo-cve',
      kind: 'enforcement',
      ori: 'MOKPD0000',
    });
    const again = await create({
      slug: 'kcmo-cve',
      name: 'Another',
      country: 'US',
      timeZone: 'America/Chicago',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ field: 'slug', message: 'is already taken' }]);
  });

  it.each([
    [{ timeZone: 'Central Time' }, 'timeZone'],
    [{ country: 'FR' }, 'country'],
    [{ slug: 'Not A Slug' }, 'slug'],
    [{ region: 'Missouri' }, 'region'],
  ])('refuses %j naming %s, and writes nothing', async (change, field) => {
    const before = await countAgencies();
    const response = await create({
      slug: 'valid-slug',
      name: 'Valid Agency',
      country: 'US',
      timeZone: 'America/Chicago',
      ...change,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await countAgencies()).toBe(before);
  });

  it('are changed by their own administrator, audited with before and after', async () => {
    const agency = await newAgency(t.database.db);
    const admin = await newUser(t.database.db, agency.id, { role: 'agency_admin' });
    const cookie = await t.signIn(admin.email);
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/agencies/${agency.id}`,
      headers: { cookie },
      payload: { timeZone: 'America/New_York' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().timeZone).toBe('America/New_York');
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'agency.updated'));
    expect(entry).toMatchObject({
      actorId: admin.id,
      entityId: agency.id,
      before: { timeZone: 'America/Chicago' },
      after: { timeZone: 'America/New_York' },
    });
  });
});
