import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '#db/schema.ts';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { createUser } from './users.service.ts';

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

  it('lets only a platform administrator give a platform role (admin, coordinator)', async () => {
    const platform = await newUser(t.database.db, agencyId, { role: 'admin' });
    const platformCookie = await t.signIn(platform.email);
    for (const role of ['admin', 'coordinator']) {
      const before = await countUsers();
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: adminCookie },
        payload: validUser({ role }),
      });
      expect(response.statusCode, role).toBe(403);
      expect(response.json().errors).toEqual([
        { field: 'role', message: 'is not a role you may give' },
      ]);
      expect(await countUsers()).toBe(before);
      const byPlatform = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: platformCookie },
        payload: validUser({ role }),
      });
      expect(byPlatform.statusCode, role).toBe(201);
    }
  });

  it('does not let an agency administrator touch a platform administrator or coordinator of their agency', async () => {
    const platform = await newUser(t.database.db, agencyId, { role: 'admin' });
    const coordinator = await newUser(t.database.db, agencyId, { role: 'coordinator' });
    const officer = await newUser(t.database.db, agencyId);
    const patch = (id: string, payload: object, cookie = adminCookie) =>
      t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { cookie }, payload });
    for (const held of [platform, coordinator]) {
      for (const change of [
        { displayName: 'Renamed by the agency' },
        { active: false },
        { role: 'officer' },
      ]) {
        const response = await patch(held.id, { version: held.version, ...change });
        expect(response.statusCode, `${held.role} ${JSON.stringify(change)}`).toBe(403);
      }
      const [row] = await t.database.db.select().from(users).where(eq(users.id, held.id));
      expect(row).toMatchObject({
        displayName: held.displayName,
        active: true,
        role: held.role,
        version: held.version,
      });
    }
    for (const role of ['coordinator', 'admin']) {
      const promoted = await patch(officer.id, { version: officer.version, role });
      expect(promoted.statusCode, role).toBe(403);
    }
    const [unchanged] = await t.database.db.select().from(users).where(eq(users.id, officer.id));
    expect(unchanged?.role).toBe('officer');
    // Their agency's roles remain theirs to manage.
    expect((await patch(officer.id, { version: 1, role: 'agency_admin' })).statusCode).toBe(200);
    // A platform administrator manages both.
    const platformCookie = await t.signIn(
      (await newUser(t.database.db, agencyId, { role: 'admin' })).email,
    );
    expect(
      (await patch(coordinator.id, { version: 1, displayName: 'Renamed' }, platformCookie))
        .statusCode,
    ).toBe(200);
    expect(
      (await patch(platform.id, { version: 1, active: false }, platformCookie)).statusCode,
    ).toBe(200);
  });

  it('records every grant of tip access as an event of its own, in the agency’s audit log', async () => {
    const me = (
      await t.app.inject({ url: '/api/auth/me', headers: { cookie: adminCookie } })
    ).json();
    const create = (role: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: adminCookie },
        payload: validUser({ role, displayName: `New ${role}` }),
      });
    const patch = async (id: string, change: object) => {
      const [row] = await t.database.db.select().from(users).where(eq(users.id, id));
      const response = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${id}`,
        headers: { cookie: adminCookie },
        payload: { version: row?.version, ...change },
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    const grantsOf = async (id: string) => {
      const response = await t.app.inject({
        url: `/api/audit?entityId=${id}&action=user.tip_access_granted`,
        headers: { cookie: adminCookie },
      });
      expect(response.statusCode).toBe(200);
      return response.json().items as {
        actorId: string;
        agencyId: string;
        after: { how: string; previousRole: string | null; grantedBy: object };
      }[];
    };

    const investigator = (await create('investigator')).json();
    const [created] = await grantsOf(investigator.id);
    expect(created).toMatchObject({
      actorId: me.user.id,
      agencyId,
      after: {
        how: 'created',
        previousRole: null,
        grantedTo: { userId: investigator.id, role: 'investigator', email: investigator.email },
        grantedBy: { userId: me.user.id, role: 'agency_admin' },
      },
    });

    // An officer made supervisor comes to read tips; an analyst never does.
    const officer = (await create('officer')).json();
    const analyst = (await create('analyst')).json();
    expect(await grantsOf(officer.id)).toEqual([]);
    await patch(officer.id, { role: 'supervisor' });
    await patch(analyst.id, { role: 'officer' });
    expect((await grantsOf(officer.id)).map((g) => g.after.how)).toEqual(['role_changed']);
    expect((await grantsOf(officer.id))[0]?.after.previousRole).toBe('officer');
    expect(await grantsOf(analyst.id)).toEqual([]);

    // Supervisor to investigator keeps the access it had: no new grant. Deactivated, then
    // reactivated, it is granted again.
    await patch(officer.id, { role: 'investigator' });
    expect(await grantsOf(officer.id)).toHaveLength(1);
    await patch(officer.id, { active: false });
    await patch(officer.id, { active: true });
    expect((await grantsOf(officer.id)).map((g) => g.after.how)).toEqual([
      'reactivated',
      'role_changed',
    ]);
    // The command line's grants are recorded too, as the command's.
    const fromCli = await createUser(
      t.database.db,
      null,
      { ...validUser({ role: 'supervisor' }), role: 'supervisor', agencyId },
      { ip: null, userAgent: 'milepost user create', requestId: null },
    );
    expect((await grantsOf(fromCli.id)).map((g) => g.after)).toEqual([
      expect.objectContaining({ how: 'created', grantedBy: { command: 'milepost user create' } }),
    ]);
    // A deactivated officer reactivated as a supervisor in one change is a grant too.
    await patch(analyst.id, { active: false });
    await patch(analyst.id, { active: true, role: 'supervisor' });
    expect((await grantsOf(analyst.id)).map((g) => g.after.how)).toEqual(['role_changed']);
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
