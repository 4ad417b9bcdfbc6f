import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '#db/schema.ts';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

let t: TestApp;
let agencyId: string;
let adminCookie: string;

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await newAgency(t.database.db)).id;
  const admin = await newUser(t.database.db, agencyId, { role: 'agency_admin' });
  adminCookie = await t.signIn(admin.email);
});
afterAll(() => t.close());

const validUser = (overrides: Record<string, unknown> = {}) => ({
  email: `new-${Math.random().toString(36).slice(2, 10)}@example.test`,
  displayName: 'Officer Lee Park',
  role: 'officer',
  password: 'marble-cactus-violin-18',
  ...overrides,
});

async function countUsers(): Promise<number> {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

describe('user administration', () => {
  it('creates a user in the administrator’s own agency, audited without the password', async () => {
    const body = validUser({ email: 'Mixed.Case@Example.Test' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      email: 'mixed.case@example.test',
      agencyId,
      role: 'officer',
      version: 1,
    });
    expect(created).not.toHaveProperty('passwordHash');

    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, created.id));
    expect(entry).toMatchObject({ action: 'user.created', agencyId });
    expect(JSON.stringify(entry?.after)).not.toMatch(/password|argon2/i);

    // The new user can sign in.
    expect(await t.signIn('MIXED.case@example.test', body.password)).toMatch(/^milepost_session=/);
  });

  it('refuses the same e-mail in another case with 409 naming the field', async () => {
    const body = validUser();
    await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: body,
    });
    const before = await countUsers();
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: { ...body, email: body.email.toUpperCase() },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ field: 'email', message: 'is already in use' }]);
    expect(await countUsers()).toBe(before);
  });

  it.each([
    [{ email: 'not-an-address' }, 'email'],
    [{ role: 'sheriff' }, 'role'],
    [{ password: 'short' }, 'password'],
    [{ password: 'password123456' }, 'password'],
    [{ displayName: '' }, 'displayName'],
  ])('refuses %j with 400 naming %s, writing nothing', async (change, field) => {
    const before = await countUsers();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: validUser(change),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await countUsers()).toBe(before);
  });

  it('lets only a platform administrator grant the admin role', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: validUser({ role: 'admin' }),
    });
    expect(response.statusCode).toBe(403);
  });

  it('changes a role at the current version and refuses a stale one', async () => {
    const user = await newUser(t.database.db, agencyId);
    const change = (version: number, role: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${user.id}`,
        headers: { cookie: adminCookie },
        payload: { version, role },
      });
    const first = await change(1, 'supervisor');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ role: 'supervisor', version: 2 });
    const stale = await change(1, 'analyst');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].field).toBe('version');
    const [row] = await t.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.role).toBe('supervisor');
  });

  it('deactivation ends the user’s sessions at once', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: { cookie: adminCookie },
      payload: { version: user.version, active: false },
    });
    expect(response.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const actions = await t.database.db
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.entityId, user.id));
    expect(actions.at(-1)).toMatchObject({
      action: 'user.deactivated',
      before: { active: true },
      after: { active: false },
    });
  });

  it('does not let administrators deactivate themselves', async () => {
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: adminCookie } });
    const [row] = await t.database.db.select().from(users).where(eq(users.id, me.json().user.id));
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${row?.id}`,
      headers: { cookie: adminCookie },
      payload: { version: row?.version, active: false },
    });
    expect(response.statusCode).toBe(403);
  });

  it('lists the agency’s users a page at a time', async () => {
    const other = await newAgency(t.database.db);
    await newUser(t.database.db, other.id);
    for (let i = 0; i < 3; i++) await newUser(t.database.db, agencyId, { role: 'analyst' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await t.app.inject({
        url: `/api/users?limit=2&role=analyst${query}`,
        headers: { cookie: adminCookie },
      });
      expect(page.statusCode).toBe(200);
      const body = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(
        ...body.items.map((u: { agencyId: string; email: string }) => {
          expect(u.agencyId).toBe(agencyId);
          return u.email;
        }),
      );
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect([...seen].sort()).toEqual(seen);
  });
});
