import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { formToken } from '#server/features/public/public.service.ts';
import { newAgency, newUser, testPassword } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { testSecrets } from './test-secrets.ts';

/**
 * No log line, at any level, holds what a caller sent or what the database was given: forced
 * failures of each kind (a database fault, a value the database refuses, a failed sign-in, a
 * failed tip) are logged with their SQLSTATE and stack, never the query, its parameters, an
 * e-mail address, a password or its hash, or what a tip says.
 */

let database: TestDatabase;
let app: FastifyInstance;
const lines: string[] = [];
let adminCookie: string;
let slug: string;
let officerEmail: string;

const newEmail = 'leak-check@example.test';
const newPassword = 'saffron-glacier-tulip-63';
const narrative = 'A silver van dropped two young women at truck row nine';
const contact = 'tipster-leak-check@example.test';

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({
    database,
    config: { ...loadConfig({ MILEPOST_TIP_MIN_FILL_SECONDS: '0' }), logLevel: 'trace' },
    secrets: testSecrets,
    logger: { stream: { write: (line: string) => void lines.push(line) } },
  });
  const agency = await newAgency(database.db);
  slug = agency.slug;
  const admin = await newUser(database.db, agency.id, { role: 'agency_admin' });
  officerEmail = (await newUser(database.db, agency.id, { role: 'officer' })).email;
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: admin.email, password: testPassword },
  });
  expect(login.statusCode).toBe(200);
  adminCookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** Makes every insert into `table` fail, with `raise` as the trigger's statement. */
async function failInserts(table: string, raise: string): Promise<void> {
  await database.db.execute(
    sql.raw(`create or replace function milepost_test_fault() returns trigger
      language plpgsql as $$ begin ${raise}; end $$`),
  );
  await database.db.execute(
    sql.raw(`create trigger milepost_test_fault before insert on ${table}
      for each row execute function milepost_test_fault()`),
  );
}

async function stopFailing(table: string): Promise<void> {
  await database.db.execute(sql.raw(`drop trigger milepost_test_fault on ${table}`));
}

const createUser = () =>
  app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { cookie: adminCookie },
    payload: { email: newEmail, displayName: 'Leak Check', role: 'officer', password: newPassword },
  });

describe('logs', () => {
  it('hold a failed user create as its SQLSTATE and stack, not its e-mail or hash', async () => {
    await failInserts('users', `raise exception 'forced failure of %', new.email`);
    const response = await createUser();
    await stopFailing('users');
    expect(response.statusCode).toBe(500);
    const logged = lines.find((line) => line.includes('unhandled error'));
    expect(logged).toBeDefined();
    expect(logged).toContain('"code":"P0001"');
    expect(logged).toContain('users.service.ts');
  });

  it('hold a value the database refused as its SQLSTATE, answered 400', async () => {
    await failInserts(
      'users',
      `raise exception using errcode = '22023', message = 'bad value ' || new.email`,
    );
    const response = await createUser();
    await stopFailing('users');
    expect(response.statusCode).toBe(400);
    expect(lines.some((line) => line.includes('"code":"22023"'))).toBe(true);
  });

  it('hold a failed tip from the public without what it says, whom to contact or its receipt', async () => {
    await failInserts('tips', `raise exception 'forced failure'`);
    const response = await app.inject({
      method: 'POST',
      url: `/p/${slug}/tips`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        started: formToken(testSecrets, slug, Date.now() - 60_000),
        narrative,
        contact,
        people: 'Two women, one man driving',
      }).toString(),
    });
    await stopFailing('tips');
    expect(response.statusCode).toBe(500);
    expect(lines.some((line) => line.includes('"code":"P0001"'))).toBe(true);
  });

  it('hold a failed sign-in and a list filtered by anything without the values sent', async () => {
    const failed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: officerEmail, password: 'not-the-password-at-all' },
    });
    expect(failed.statusCode).toBe(401);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/users?role=officer&email=${encodeURIComponent(newEmail)}`,
      headers: { cookie: adminCookie },
    });
    expect(listed.statusCode).toBeLessThan(500);
    expect(lines.some((line) => line.includes('/api/users?role=…&email=…'))).toBe(true);
  });

  it('hold none of it, at any level', () => {
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [
      newEmail,
      newPassword,
      officerEmail,
      testPassword,
      'not-the-password-at-all',
      '$argon2',
      narrative,
      contact,
      'Two women',
      'Failed query',
      'insert into',
      '"params"',
      'milepost_session=',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
