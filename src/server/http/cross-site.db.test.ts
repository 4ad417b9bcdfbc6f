import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

// A write that passes the cross-site check answers 400 (its body is empty); a refused one 403,
// before its body is read.
async function write(t: TestApp, cookie: string, headers: Record<string, string>) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/password',
    headers: { cookie, ...headers },
    payload: {},
  });
  return response.statusCode;
}

async function signedIn(t: TestApp): Promise<string> {
  const agency = await newAgency(t.database.db);
  const user = await newUser(t.database.db, agency.id);
  return t.signIn(user.email);
}

describe('cookie-authenticated writes, served directly', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    cookie = await signedIn(t);
  });
  afterAll(() => t.close());

  it('come only from this server’s own origin: scheme, host and port', async () => {
    const host = { host: 'milepost.example:8080' };
    expect(await write(t, cookie, { ...host, origin: 'http://milepost.example:8080' })).toBe(400);
    expect(await write(t, cookie, { ...host, origin: 'https://milepost.example:8080' })).toBe(403);
    expect(await write(t, cookie, { ...host, origin: 'http://milepost.example:8081' })).toBe(403);
    expect(await write(t, cookie, { ...host, origin: 'http://evil.example:8080' })).toBe(403);
    // The default port is the same origin, written or not.
    expect(
      await write(t, cookie, { host: 'milepost.example', origin: 'http://milepost.example:80' }),
    ).toBe(400);
  });

  it('do not take the scheme from X-Forwarded-Proto unless behind a trusted proxy', async () => {
    const forwarded = { host: 'milepost.example', 'x-forwarded-proto': 'https' };
    expect(await write(t, cookie, { ...forwarded, origin: 'https://milepost.example' })).toBe(403);
  });

  it('are refused from an origin that is not a URL, or to a host that is not one', async () => {
    const host = { host: 'milepost.example' };
    expect(await write(t, cookie, { ...host, origin: 'null' })).toBe(403);
    expect(await write(t, cookie, { ...host, origin: 'not a url' })).toBe(403);
    expect(await write(t, cookie, { ...host, origin: 'file:///etc/passwd' })).toBe(403);
    expect(await write(t, cookie, { host: 'bad host\u0000', origin: 'http://bad host' })).toBe(403);
  });
});

describe('cookie-authenticated writes, behind a proxy (MILEPOST_TRUST_PROXY=1)', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ trustProxy: true });
    cookie = await signedIn(t);
  });
  afterAll(() => t.close());

  it('compare the origin with the scheme and host the proxy forwards', async () => {
    const behind = {
      host: '127.0.0.1:8080',
      'x-forwarded-host': 'milepost.example.org',
      'x-forwarded-proto': 'https',
    };
    expect(await write(t, cookie, { ...behind, origin: 'https://milepost.example.org' })).toBe(400);
    // The same host over plain HTTP is another origin: a page there may not write.
    expect(await write(t, cookie, { ...behind, origin: 'http://milepost.example.org' })).toBe(403);
    expect(
      await write(t, cookie, {
        ...behind,
        'x-forwarded-proto': 'http',
        origin: 'https://milepost.example.org',
      }),
    ).toBe(403);
  });
});
