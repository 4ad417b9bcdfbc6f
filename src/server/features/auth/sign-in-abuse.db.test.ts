import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client.ts';
import { signInThrottles } from '#db/schema.ts';
import { buildApp } from '#server/app.ts';
import { defaultSignInThrottle, loadConfig } from '#server/config.ts';
import { formToken } from '#server/features/public/public.service.ts';
import { newAgency, newUser, testPassword } from '#test/factories.ts';
import { cookieFrom, createTestApp, type TestApp } from '#test/test-app.ts';
import { testEngine } from '#test/test-database.ts';
import { testSecrets } from '#test/test-secrets.ts';

/**
 * Sign-in under attack: someone who knows an e-mail address cannot lock its owner out, guessing
 * stays bounded from one address and from many, a known address answers as an unknown one, a
 * squad behind one address all get in at roll call, and the limits hold across processes.
 */

let t: TestApp;
let agencyId: string;
let nextAddress = 1;

/** A client address of its own for each scenario, so that none counts against another. */
const freshAddress = () => `198.51.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await newAgency(t.database.db)).id;
});
afterAll(() => t.close());

function login(
  app: FastifyInstance,
  email: string,
  password: string,
  from: { address: string; device?: string },
) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: from.address,
    headers: from.device ? { cookie: `milepost_device=${from.device}` } : {},
  });
}

/** The device cookie a successful sign-in set. */
function deviceOf(response: LightMyRequestResponse): string {
  const cookie = [response.headers['set-cookie'] ?? []]
    .flat()
    .find((c) => c.startsWith('milepost_device='));
  if (!cookie) throw new Error('no device cookie');
  return cookie.split(';')[0]?.slice('milepost_device='.length) ?? '';
}

/** What a client sees of an answer: status, problem type and detail, and when to retry. */
function seen(response: LightMyRequestResponse) {
  const body = response.json();
  return {
    status: response.statusCode,
    type: body.type,
    detail: body.detail,
    retryAfter: response.headers['retry-after'] === undefined ? null : 'set',
  };
}

/** Lets every pause and lock of the throttle run out, as if time had passed. */
async function waitOutBlocks() {
  await t.database.db
    .update(signInThrottles)
    .set({ blockedUntil: sql`now() - interval '1 second'` });
}

describe('an unknown and a known e-mail address', () => {
  it('get the same answers, in the same order, from one client', async () => {
    const known = await newUser(t.database.db, agencyId);
    const address = freshAddress();
    const answers = async (email: string) => {
      const list = [];
      for (let i = 0; i < 7; i++)
        list.push(seen(await login(t.app, email, `wrong-${i}`, { address })));
      return list;
    };
    const ofKnown = await answers(known.email);
    const ofUnknown = await answers('nobody-here@example.test');
    expect(ofKnown.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423, 423]);
    expect(ofUnknown).toEqual(ofKnown.map((a) => ({ ...a, detail: expect.any(String) })));
    // The lock's detail names its end, which differs by the milliseconds between the runs.
    expect(ofUnknown.map((a) => a.detail.replace(/until \S+/, ''))).toEqual(
      ofKnown.map((a) => a.detail.replace(/until \S+/, '')),
    );
  });
});

describe('attempts sent at once', () => {
  it('check no more passwords than one at a time would', async () => {
    const user = await newUser(t.database.db, agencyId);
    const address = freshAddress();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(t.app, user.email, `burst-${i}`, { address })),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array(4).fill(401), ...Array(16).fill(423)]);
    const failures = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where entity_id = ${user.id} and action = 'auth.sign_in_failed'`,
    );
    expect(failures.rows).toHaveLength(5);
  });
});

describe('a lock', () => {
  it('holds on the client that failed, not on the account’s owner elsewhere', async () => {
    const owner = await newUser(t.database.db, agencyId);
    const attacker = { address: freshAddress() };
    for (let i = 0; i < 5; i++) await login(t.app, owner.email, `guess-${i}`, attacker);
    expect((await login(t.app, owner.email, testPassword, attacker)).statusCode).toBe(423);
    const elsewhere = await login(t.app, owner.email, testPassword, { address: freshAddress() });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('never holds a browser that signed in before, even behind the attacker’s address', async () => {
    const owner = await newUser(t.database.db, agencyId);
    const station = freshAddress();
    const first = await login(t.app, owner.email, testPassword, { address: station });
    expect(first.statusCode).toBe(200);
    const device = deviceOf(first);
    // Someone at the same station, without the owner's browser, tries passwords.
    for (let i = 0; i < 6; i++) await login(t.app, owner.email, `guess-${i}`, { address: station });
    expect((await login(t.app, owner.email, testPassword, { address: station })).statusCode).toBe(
      423,
    );
    const again = await login(t.app, owner.email, testPassword, { address: station, device });
    expect(again.statusCode).toBe(200);
    // A device token is the account's own: with another e-mail address it counts for nothing.
    const other = await newUser(t.database.db, agencyId);
    for (let i = 0; i < 5; i++) await login(t.app, other.email, `guess-${i}`, { address: station });
    expect(
      (await login(t.app, other.email, testPassword, { address: station, device })).statusCode,
    ).toBe(423);
  });

  it('locks a browser that signed in before after five failures of its own', async () => {
    const owner = await newUser(t.database.db, agencyId);
    const address = freshAddress();
    const device = deviceOf(await login(t.app, owner.email, testPassword, { address }));
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await login(t.app, owner.email, `typo-${i}`, { address, device })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423]);
    // The lock is the browser's: the same address without it is a client of its own.
    expect((await login(t.app, owner.email, testPassword, { address })).statusCode).toBe(200);
  });
});

describe('guessing from many addresses', () => {
  it.each([
    ['a known', true],
    ['an unknown', false],
  ])(
    'slows %s account past the ceiling, but not the browser its owner signed in from',
    async (_, exists) => {
      const owner = exists ? await newUser(t.database.db, agencyId) : undefined;
      const email = owner?.email ?? `nobody-${nextAddress}@example.test`;
      const device = owner
        ? deviceOf(await login(t.app, email, testPassword, { address: freshAddress() }))
        : undefined;
      const ceiling = defaultSignInThrottle.accountSlowAfter;
      const statuses = [];
      for (let i = 0; i < ceiling; i++)
        statuses.push(
          (await login(t.app, email, `guess-${i}`, { address: freshAddress() })).statusCode,
        );
      expect(new Set(statuses)).toEqual(new Set([401]));
      // Past the ceiling, a new address waits, right password or not: no guess is checked.
      const slowed = await login(t.app, email, testPassword, { address: freshAddress() });
      expect(slowed.statusCode).toBe(429);
      expect(slowed.headers['retry-after']).toBe('1');
      if (device) {
        expect(
          (await login(t.app, email, testPassword, { address: freshAddress(), device })).statusCode,
        ).toBe(200);
      }
      // The pause doubles with each guess let through.
      await waitOutBlocks();
      expect(
        (await login(t.app, email, 'guess-again', { address: freshAddress() })).statusCode,
      ).toBe(401);
      const longer = await login(t.app, email, 'guess-more', { address: freshAddress() });
      expect(longer.statusCode).toBe(429);
      expect(longer.headers['retry-after']).toBe('2');
    },
    // Some twenty-five password checks: slow by design.
    120_000,
  );
});

describe('one address', () => {
  it('lets a squad in at roll call, and stops someone there trying many passwords', async () => {
    // Milepost's own limits, not the test defaults.
    const station = await createTestApp({ signInRateLimit: loadConfig({}).signInRateLimit });
    try {
      const squad = await newAgency(station.database.db);
      const address = '203.0.113.50';
      const officers = await Promise.all(
        Array.from({ length: 30 }, () => newUser(station.database.db, squad.id)),
      );
      const devices: string[] = [];
      for (const officer of officers) {
        const response = await login(station.app, officer.email, testPassword, { address });
        expect(response.statusCode, officer.email).toBe(200);
        devices.push(deviceOf(response));
      }
      // Someone at the station sprays one password over many accounts; each answer is a 401
      // until the address has failed thirty times, then every new browser there waits.
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const officer = officers[i % officers.length];
        statuses.push(
          (await login(station.app, officer?.email ?? '', 'Spring2026!', { address })).statusCode,
        );
      }
      expect(statuses).toEqual(Array(30).fill(401));
      const sprayed = await login(station.app, 'someone-else@example.test', 'Spring2026!', {
        address,
      });
      expect(sprayed.statusCode).toBe(429);
      // The squad, on the browsers they signed in from, still gets in.
      const back = await login(station.app, officers[3]?.email ?? '', testPassword, {
        address,
        device: devices[3],
      });
      expect(back.statusCode).toBe(200);
    } finally {
      await station.close();
    }
  }, 180_000); // sixty password checks and a database of its own
});

describe('changing one’s password', () => {
  it('counts a wrong current password as a failed sign-in, and is rate limited', async () => {
    const user = await newUser(t.database.db, agencyId);
    const address = freshAddress();
    const signedIn = await login(t.app, user.email, testPassword, { address });
    const cookie = `${cookieFrom(signedIn)}; milepost_device=${deviceOf(signedIn)}`;
    const change = (currentPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        remoteAddress: address,
        headers: { cookie },
        payload: { currentPassword, newPassword: 'harbour-lantern-quiet-93' },
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await change(`not-it-${i}`)).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400, 423, 423]);
    // Locked: even the right current password, and a sign-in from this browser, wait.
    expect((await change(testPassword)).statusCode).toBe(423);
    const deviceOnly = `milepost_device=${deviceOf(signedIn)}`;
    const relogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: address,
      headers: { cookie: deviceOnly },
      payload: { email: user.email, password: testPassword },
    });
    expect(relogin.statusCode).toBe(423);
    // Ten attempts in 15 minutes, locked or not: the eleventh is refused before anything.
    await waitOutBlocks();
    const more = [];
    for (let i = 0; i < 5; i++) more.push((await change(`again-${i}`)).statusCode);
    expect(more.at(-1)).toBe(429);
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where entity_id = ${user.id} and action like 'user.password%' order by id`,
    );
    expect(audit.rows.map((r) => r.action).slice(0, 6)).toEqual([
      ...Array(5).fill('user.password_change_failed'),
      'user.password_change_refused',
    ]);
  });
});

describe('the right current password', () => {
  it('starts the count again, even when the new password is refused', async () => {
    const user = await newUser(t.database.db, agencyId);
    const address = freshAddress();
    const cookie = cookieFrom(await login(t.app, user.email, testPassword, { address }));
    const change = (currentPassword: string, newPassword = 'harbour-lantern-quiet-93') =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        remoteAddress: address,
        headers: { cookie },
        payload: { currentPassword, newPassword },
      });
    for (let i = 0; i < 4; i++) expect((await change(`not-it-${i}`)).statusCode).toBe(400);
    const weak = await change(testPassword, 'password1234');
    expect(weak.json().errors[0].field).toBe('newPassword');
    // Four failures, then a right password: the fifth wrong one is the first of a new count.
    expect((await change('not-it-again')).statusCode).toBe(400);
  });
});

describe('rate limits', () => {
  it('are shared by two Milepost processes on one database', async () => {
    // Two apps over one database: on the server engine, each with a connection pool of its own.
    const second =
      testEngine() === 'postgres' && t.database.url
        ? await openDatabase({ engine: 'postgres', url: t.database.url, poolSize: 2 })
        : t.database;
    const config = {
      ...loadConfig({ MILEPOST_SIGN_IN_RATE_LIMIT: '3' }),
      tips: { clientRateLimit: 2, agencyRateLimit: 1000, minFillSeconds: 0 },
    };
    const apps = [
      await buildApp({ database: t.database, config, secrets: testSecrets, logger: false }),
      await buildApp({ database: second, config, secrets: testSecrets, logger: false }),
    ];
    try {
      const address = freshAddress();
      const statuses = [];
      for (const app of [apps[0], apps[1], apps[0], apps[1]]) {
        if (!app) continue;
        statuses.push(
          (await login(app, 'nobody-at-all@example.test', 'x', { address })).statusCode,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);

      const agency = await newAgency(t.database.db);
      const tip = (app: FastifyInstance | undefined) =>
        app?.inject({
          method: 'POST',
          url: `/p/${agency.slug}/tips`,
          remoteAddress: address,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            started: formToken(testSecrets, agency.slug),
            narrative: 'Saw a van drop people at the trucks.',
          }).toString(),
        });
      const tips = [];
      for (const app of [apps[0], apps[1], apps[0]]) tips.push((await tip(app))?.statusCode);
      expect(tips).toEqual([201, 201, 429]);
      // No address is kept: the counters are hashes.
      const counters = await t.database.db.execute(sql`select key from rate_limits`);
      expect(JSON.stringify(counters.rows)).not.toContain(address);
    } finally {
      for (const app of apps) await app?.close();
      if (second !== t.database) await second.close();
    }
  });
});
