import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, sessions, signInThrottles, users } from '#db/schema.ts';
import { newAgency, newUser, testPassword } from '#test/factories.ts';
import { cookieFrom, createTestApp, type TestApp } from '#test/test-app.ts';
import { decoyHash } from './passwords.ts';

let t: TestApp;
let agencyId: string;

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await newAgency(t.database.db)).id;
});
afterAll(() => t.close());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers });

async function auditActions(userId: string): Promise<string[]> {
  const rows = await t.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.entityId, userId))
    .orderBy(auditLog.id);
  return rows.map((r) => r.action);
}

describe('sign-in', () => {
  it('signs in with any capitalisation of the e-mail and shows role and agency', async () => {
    const user = await newUser(t.database.db, agencyId, { role: 'supervisor' });
    const response = await login(user.email.toUpperCase(), testPassword);
    expect(response.statusCode).toBe(200);
    const [cookie = '', device = ''] = [response.headers['set-cookie'] ?? []].flat();
    expect(cookie).toMatch(/^milepost_session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain HTTP here; HTTPS adds it
    // The browser is remembered as one that signed in to this account, for the auth routes only.
    expect(device).toMatch(/^milepost_device=[\w-]{44};/);
    expect(device).toContain('Path=/api/auth');
    expect(device).toContain('HttpOnly');
    expect(device).toContain('SameSite=Strict');

    const me = await t.app.inject({
      url: '/api/auth/me',
      headers: { cookie: cookieFrom(response) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: user.id, email: user.email, role: 'supervisor' },
      agency: { id: agencyId },
      session: { idleTimeoutSeconds: 1800 },
    });
  });

  it('marks the cookie Secure when served over HTTPS', async () => {
    const https = await createTestApp({ trustProxy: true });
    try {
      const other = await newUser(https.database.db, (await newAgency(https.database.db)).id);
      const response = await https.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: other.email, password: testPassword },
        headers: { 'x-forwarded-proto': 'https' },
      });
      const cookies = [response.headers['set-cookie'] ?? []].flat();
      expect(cookies).toHaveLength(2);
      for (const cookie of cookies) expect(cookie).toContain('Secure');
    } finally {
      await https.close();
    }
  });

  it('answers a wrong password and an unknown e-mail alike, and audits both', async () => {
    const user = await newUser(t.database.db, agencyId);
    const wrong = await login(user.email, 'not-the-password-at-all');
    const unknown = await login('nobody@example.test', 'not-the-password-at-all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(await auditActions(user.id)).toEqual(['auth.sign_in_failed']);
    const [unknownEntry] = await t.database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.after}->>'email' = 'nobody@example.test'`);
    expect(unknownEntry?.action).toBe('auth.sign_in_failed');
  });

  it('locks the account after five failures, refuses even the right password, and audits it', async () => {
    const user = await newUser(t.database.db, agencyId);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await login(user.email, `wrong-password-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);

    const sixth = await login(user.email, testPassword);
    expect(sixth.statusCode).toBe(423);
    expect(sixth.headers['content-type']).toContain('application/problem+json');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(sixth.headers['set-cookie']).toBeUndefined();

    expect(await auditActions(user.id)).toEqual([
      ...Array(5).fill('auth.sign_in_failed'),
      'auth.account_locked',
      'auth.sign_in_refused',
    ]);

    // Once the lock has run out, the right password works and the count starts again.
    const locks = await t.database.db
      .update(signInThrottles)
      .set({
        blockedUntil: sql`now() - interval '1 second'`,
        lastFailureAt: sql`now() - interval '15 minutes 1 second'`,
      })
      .where(and(eq(signInThrottles.kind, 'pair'), isNotNull(signInThrottles.blockedUntil)))
      .returning();
    expect(locks).toHaveLength(1);
    expect((await login(user.email, testPassword)).statusCode).toBe(200);
    const pairs = await t.database.db
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, locks[0]?.key ?? ''));
    expect(pairs).toEqual([]);
  });

  it('refuses a deactivated user without saying so', async () => {
    const user = await newUser(t.database.db, agencyId, { active: false });
    const response = await login(user.email, testPassword);
    expect(response.statusCode).toBe(401);
    expect(await auditActions(user.id)).toEqual(['auth.sign_in_refused']);
  });

  it('gives a new session id at every sign-in and ends the one the browser had', async () => {
    const user = await newUser(t.database.db, agencyId);
    const first = cookieFrom(await login(user.email, testPassword));
    const second = await login(user.email, testPassword, { cookie: first });
    expect(second.statusCode).toBe(200);
    expect(cookieFrom(second)).not.toBe(first);
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: { cookie: first } })).statusCode,
    ).toBe(401);
  });
});

describe('sessions', () => {
  it('ends at sign-out', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect(await auditActions(user.id)).toContain('auth.signed_out');
  });

  it('expires after the idle timeout', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
      .where(eq(sessions.userId, user.id));
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.headers['set-cookie']).toMatch(/milepost_session=;/);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual(
      [],
    );
  });

  it('answers a signed-in read when the database cannot write its last-seen time', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    const idle = sql`now() - interval '5 minutes'`;
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: idle })
      .where(eq(sessions.userId, user.id));
    // A disk that is full for the sessions table, as PostgreSQL reports one (SQLSTATE 53100).
    await t.database.db.execute(
      sql.raw(`create function milepost_test_disk_full() returns trigger language plpgsql as $$
        begin
          raise exception 'could not extend file: No space left on device' using errcode = '53100';
        end $$`),
    );
    await t.database.db.execute(
      sql.raw(`create trigger milepost_test_disk_full before update on sessions
        for each row execute function milepost_test_disk_full()`),
    );
    try {
      const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({ user: { id: user.id } });
    } finally {
      await t.database.db.execute(sql.raw('drop trigger milepost_test_disk_full on sessions'));
      await t.database.db.execute(sql.raw('drop function milepost_test_disk_full()'));
    }
    // Space again: the next read keeps the session's last-seen time once more.
    await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    const [session] = await t.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    expect(Date.now() - (session?.lastSeenAt.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('expires at the end of its absolute lifetime however active it is', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    const [session] = await t.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    const lifetime = (session?.expiresAt.getTime() ?? 0) - (session?.createdAt.getTime() ?? 0);
    expect(Math.round(lifetime / 3_600_000)).toBe(12);
    await t.database.db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.userId, user.id));
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses cookie-authenticated writes from another site', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    const fromElsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'https://evil.example', host: 'milepost.example' },
    });
    expect(fromElsewhere.statusCode).toBe(403);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    // Still signed in: neither request changed anything.
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'http://milepost.example', host: 'milepost.example' },
    });
    expect(sameOrigin.statusCode).toBe(204);
  });
});

describe('password change', () => {
  it('refuses a common password, naming the field, and keeps the old one', async () => {
    const user = await newUser(t.database.db, agencyId);
    const cookie = await t.signIn(user.email);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: testPassword, newPassword: 'password1234' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { field: 'newPassword', message: expect.stringContaining('common') },
    ]);
    expect((await login(user.email, testPassword)).statusCode).toBe(200);
  });

  it('changes it, stores argon2id, and ends the other sessions', async () => {
    const user = await newUser(t.database.db, agencyId);
    const elsewhere = await t.signIn(user.email);
    const here = await t.signIn(user.email);
    const newPassword = 'juniper-lantern-orbit-77';
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: here },
      payload: { currentPassword: testPassword, newPassword },
    });
    expect(response.statusCode).toBe(204);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // The decoy an unknown e-mail is checked against costs what a real hash costs.
    const parameters = (hash: string) => hash.split('$').slice(0, 4);
    expect(parameters(decoyHash)).toEqual(parameters(row?.passwordHash ?? ''));
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: { cookie: elsewhere } })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: { cookie: here } })).statusCode,
    ).toBe(200);
    expect((await login(user.email, newPassword)).statusCode).toBe(200);
  });
});
