import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase } from '#db/client.ts';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { newAgency, newUser, testPassword } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { createTestDatabase, testEngine } from '#test/test-database.ts';
import { testSecrets } from '#test/test-secrets.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('answers /healthz and /readyz on a migrated database', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      database: { reachable: true, pendingMigrations: [] },
    });
  });

  it('answers /readyz with 503 and the pending migrations before migrating', async () => {
    const database = await openDatabase({ engine: 'pglite-memory' });
    const app = await buildApp({
      database,
      config: loadConfig({}),
      secrets: testSecrets,
      logger: false,
    });
    try {
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      const journal = JSON.parse(
        fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
      );
      const pending = ready.json().database.pendingMigrations;
      expect(pending.slice(0, 2)).toEqual(['0000_foundation', '0001_audit-log-append-only']);
      expect(pending).toEqual(journal.entries.map((e: { tag: string }) => e.tag));
      await database.migrate();
      expect((await app.inject('/readyz')).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe.runIf(testEngine() === 'postgres')('a PostgreSQL server that cannot write', () => {
  it('answers a write with 503 problem+json, and /readyz says why', async () => {
    const database = await createTestDatabase();
    const agency = await newAgency(database.db);
    const user = await newUser(database.db, agency.id);
    const name = new URL(database.url ?? '').pathname.slice(1);
    // The server takes no write on this database: what it says of a standby, or of a disk
    // remounted read-only (25006, the kin of 53100 disk_full in the outage class).
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`alter database ${name} set default_transaction_read_only = on`);
    await admin.end();
    const readOnly = await openDatabase({ engine: 'postgres', url: database.url ?? '' });
    const app = await buildApp({
      database: readOnly,
      config: loadConfig({}),
      secrets: testSecrets,
      logger: false,
    });
    try {
      // Signing in writes a session: refused as an outage, never a 500.
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: testPassword },
      });
      expect(login.statusCode).toBe(503);
      expect(login.headers['content-type']).toContain('application/problem+json');
      expect(login.headers['retry-after']).toBe('30');
      expect(login.json()).toMatchObject({ status: 503, title: 'Database unavailable' });
      expect(login.json().detail).toMatch(
        /^Nothing was saved: the disk of the database is read-only/,
      );
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().database).toMatchObject({
        engine: 'postgres',
        reachable: true,
        storageProblem: { kind: 'read_only', engineStopped: false },
      });
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await app.close();
      await readOnly.close();
      await database.close();
    }
  });
});

describe('HTTP conventions', () => {
  it('publishes an OpenAPI document built from the schemas', async () => {
    const response = await t.app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/auth/me',
        '/api/users',
        '/api/users/{id}',
        '/api/audit',
      ]),
    );
    const login = doc.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual([
      'email',
      'password',
    ]);
    expect((await t.app.inject('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes and malformed bodies with problem+json, never 500', async () => {
    const missing = await t.app.inject('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ status: 400, title: 'Invalid request' });
    const badId = await t.app.inject({
      url: '/api/users/not-a-uuid',
      headers: { cookie: 'milepost_session=x' },
    });
    expect(badId.statusCode).toBe(401);
  });

  it('sends a strict Content-Security-Policy and a request id', async () => {
    const response = await t.app.inject({
      url: '/',
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBe('trace-12345678');
    const generated = await t.app.inject({
      url: '/',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('limits sign-in attempts per client', async () => {
    const limited = await createTestApp({ signInRateLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'nobody@example.test', password: 'whatever-it-is' },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('logs', () => {
  it('never hold passwords, session tokens or e-mail addresses', async () => {
    const lines: string[] = [];
    const database = await createTestDatabase();
    const config = { ...loadConfig({ MILEPOST_LOG_LEVEL: 'trace' }) };
    const app = await buildApp({
      database,
      config,
      secrets: testSecrets,
      logger: { stream: { write: (line) => lines.push(line) } },
    });
    try {
      const agency = await newAgency(database.db);
      const user = await newUser(database.db, agency.id);
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: testPassword },
      });
      const token = String(login.headers['set-cookie']).split(';')[0]?.split('=')[1] ?? '';
      expect(token.length).toBeGreaterThan(20);
      await app.inject({ url: '/api/auth/me', headers: { cookie: `milepost_session=${token}` } });
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: 'wrong-password-here' },
      });
      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(4);
      expect(log).not.toContain(testPassword);
      expect(log).not.toContain('wrong-password-here');
      expect(log).not.toContain(token);
      expect(log).not.toContain(user.email);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
