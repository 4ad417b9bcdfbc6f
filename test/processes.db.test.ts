import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, milepost, type Running, run } from './processes.ts';
import { createTestDatabase, type TestDatabase, testEngine } from './test-database.ts';

/**
 * Milepost as people run it: real processes, real ports, a real data folder. These start
 * Node and PGlite from cold, so each takes a few seconds.
 */

const demoPassword = 'demo-password-milepost';
const started: Running[] = [];
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-process-'));
});
afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The data folder's claims that no holder has released (`milepost.lock.N`). */
function liveClaims(dataDir: string): string[] {
  return fs.readdirSync(dataDir).filter((file) => /^milepost\.lock\.\d+$/.test(file));
}

function track(p: Running): Running {
  started.push(p);
  return p;
}

async function signIn(base: string, email: string) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: demoPassword }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('configuration', () => {
  it('stops with exit code 1 and names a bad variable', async () => {
    const p = track(
      milepost(['start'], { PORT: 'abc', MILEPOST_DATA_DIR: path.join(tmp, 'unused') }),
    );
    expect((await p.exited).code).toBe(1);
    expect(p.output()).toMatch(/PORT="abc" is not valid/);
    expect(fs.existsSync(path.join(tmp, 'unused'))).toBe(false);
  });
});

describe('the embedded engine', () => {
  it('npm start: migrates, loads the demo, serves, signs in, and shuts down cleanly', async () => {
    const dataDir = path.join(tmp, 'start');
    const server = track(milepost(['start'], { PORT: '0', MILEPOST_DATA_DIR: dataDir }));
    const base = await addressOf(server);
    expect(server.output()).toContain('admin@demo.milepost.test');

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: { engine: 'pglite' } });

    const cookie = await signIn(base, 'admin@demo.milepost.test');
    const me = await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({
      user: { role: 'agency_admin' },
      agency: { slug: 'demo', timeZone: 'America/Chicago' },
    });

    // While it runs, a second process on the same folder is refused and told who holds it.
    const second = track(milepost(['migrate'], { MILEPOST_DATA_DIR: dataDir }));
    expect((await second.exited).code).toBe(1);
    expect(second.output()).toContain(`in use by process ${server.child.pid}`);
    expect(second.output()).toContain('DATABASE_URL');

    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(liveClaims(dataDir)).toEqual([]);

    // `milepost serve` never loads the demo; the data from before is still there.
    const again = track(milepost(['serve'], { PORT: '0', MILEPOST_DATA_DIR: dataDir }));
    const base2 = await addressOf(again);
    expect(again.output()).not.toContain('demo data loaded');
    await signIn(base2, 'officer@demo.milepost.test');
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  }, 120_000);

  it('keeps an acknowledged write when the process is killed with SIGKILL right after', async () => {
    const dataDir = path.join(tmp, 'kill');
    const script = path.join(import.meta.dirname, 'scripts', 'write-then-wait.ts');
    const writer = track(run(['--import', 'tsx', script, dataDir, 'write']));
    const [, slug = ''] = await writer.waitFor(/acknowledged (\S+)/);
    writer.child.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');
    // The claim the killed process left behind is stale; the next process takes the folder.
    expect(liveClaims(dataDir)).toHaveLength(1);

    const reader = track(run(['--import', 'tsx', script, dataDir, 'read', slug]));
    await reader.waitFor(/found 1/);
    expect((await reader.exited).code).toBe(0);
  }, 60_000);
});

describe.runIf(testEngine() === 'postgres')('a PostgreSQL server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  it('serves from two processes that share sessions', async () => {
    const env = { DATABASE_URL: database.url, PORT: '0' };
    const demo = track(milepost(['demo'], env));
    expect((await demo.exited).code).toBe(0);
    const one = track(milepost(['serve'], env));
    const two = track(milepost(['serve'], env));
    const [baseOne, baseTwo] = await Promise.all([addressOf(one), addressOf(two)]);
    expect(baseOne).not.toBe(baseTwo);
    const ready = await (await fetch(`${baseTwo}/readyz`)).json();
    expect(ready.database.engine).toBe('postgres');

    const cookie = await signIn(baseOne, 'admin@demo.milepost.test');
    const me = await fetch(`${baseTwo}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).user.email).toBe('admin@demo.milepost.test');

    // Signing out through the second ends the session for the first as well.
    const out = await fetch(`${baseTwo}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect((await fetch(`${baseOne}/api/auth/me`, { headers: { cookie } })).status).toBe(401);

    one.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect((await one.exited).code).toBe(0);
    expect((await two.exited).code).toBe(0);
  }, 120_000);
});
