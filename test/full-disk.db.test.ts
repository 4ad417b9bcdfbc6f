import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressOf,
  canMount,
  milepost,
  mountSmallDisk,
  type Running,
  run,
  type SmallDisk,
} from './processes.ts';

/**
 * Milepost on a disk that fills up, as people run it: the real `milepost serve` process with
 * its data folder on a small tmpfs of its own (a mount namespace: nothing else sees it).
 */

const demoPassword = 'demo-password-milepost';
/** Long enough for a hang, far beyond what any answer here takes. */
const answerWithinMs = 5000;
const started: Running[] = [];
const disks: SmallDisk[] = [];
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-disk-'));
});
afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const disk of disks) disk.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function track(p: Running): Running {
  started.push(p);
  return p;
}

async function signIn(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: demoPassword }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** Logs an inspection with long notes (each one grows the tables and the log by some KB). */
async function logInspection(base: string, cookie: string, id: string) {
  const started = performance.now();
  const response = await fetch(`${base}/api/inspections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      id,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      level: 'III',
      usdotNumber: '1234567',
      outreachGiven: true,
      notes: randomBytes(3600).toString('base64'),
    }),
    signal: AbortSignal.timeout(answerWithinMs),
  });
  return { response, ms: performance.now() - started };
}

async function readiness(base: string) {
  const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(answerWithinMs) });
  return { status: response.status, body: await response.json() };
}

/** Writes until one is refused; returns the ids acknowledged before, and the refusal. */
async function writeUntilRefused(base: string, cookie: string, acknowledged: string[]) {
  for (let i = 0; i < 2000; i++) {
    const id = randomUUID();
    const { response, ms } = await logInspection(base, cookie, id);
    if (response.status === 201) acknowledged.push(id);
    else return { response, ms, body: await response.json() };
  }
  throw new Error('2000 writes went through: the disk never filled');
}

async function waitUntilReady(base: string) {
  for (let i = 0; i < 120; i++) {
    if ((await readiness(base)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not ready after 60 s: ${JSON.stringify(await readiness(base))}`);
}

async function expectRefusedForTheDisk(
  base: string,
  cookie: string,
  refused: {
    response: Response;
    body: { status: number; title: string; detail: string };
  },
) {
  expect(refused.response.status).toBe(503);
  expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.response.headers.get('retry-after')).toBe('30');
  expect(refused.body.detail).toMatch(/Nothing was saved: the disk of the database is full/);
  // The next writes are refused the same way, at once, and the process is alive.
  for (let i = 0; i < 3; i++) {
    const again = await logInspection(base, cookie, randomUUID());
    expect(again.response.status).toBe(503);
  }
  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(answerWithinMs) });
  expect(health.status).toBe(200);
}

describe.runIf(canMount)('a full disk, on the embedded engine', () => {
  it('refuses writes with 503 at once, keeps /healthz, says why in /readyz, and writes again once space returns', async () => {
    const disk = await mountSmallDisk(path.join(tmp, 'pglite'), 160);
    disks.push(disk);
    const dataDir = path.join(disk.dir, 'data');
    const env = { MILEPOST_DATA_DIR: dataDir };
    const demo = track(milepost(['demo'], env, { via: disk.via }));
    expect((await demo.exited).code).toBe(0);
    // The log's segment has 4.5 MB left: the writes below soon need a new one (16 MB).
    const script = path.join(import.meta.dirname, 'scripts', 'wal-near-segment-end.ts');
    const positioned = track(
      run(['--import', 'tsx', script, dataDir, String(4.5 * 1024 * 1024)], env, { via: disk.via }),
    );
    expect((await positioned.exited).code).toBe(0);

    const server = track(milepost(['serve'], { ...env, PORT: '0' }, { via: disk.via }));
    const base = await addressOf(server);
    const cookie = await signIn(base, 'officer@demo.milepost.test');
    const acknowledged: string[] = [];
    expect((await logInspection(base, cookie, randomUUID())).response.status).toBe(201);

    // 1. Room for the tables to grow by what 4.5 MB of log holds, none for the log's next
    // segment: PostgreSQL PANICs, and the
    // embedded engine stops (before, the next statement spun the CPU forever).
    disk.fill(12 * 1024 * 1024);
    const panic = await writeUntilRefused(base, cookie, acknowledged);
    expect(acknowledged.length).toBeGreaterThan(0);
    await expectRefusedForTheDisk(base, cookie, panic);
    const stopped = await readiness(base);
    expect(stopped.status).toBe(503);
    expect(stopped.body).toMatchObject({
      status: 'not_ready',
      database: { storageProblem: { kind: 'disk_full', engineStopped: true } },
    });
    // Reads wait for the engine too, answered as quickly.
    const me = await fetch(`${base}/api/auth/me`, {
      headers: { cookie },
      signal: AbortSignal.timeout(answerWithinMs),
    });
    expect(me.status).toBe(503);

    // Space returns: the engine is reopened from the folder, with every acknowledged write.
    disk.free();
    await waitUntilReady(base);
    for (const id of acknowledged) {
      const read = await fetch(`${base}/api/inspections/${id}`, { headers: { cookie } });
      expect(read.status, id).toBe(200);
    }
    expect((await logInspection(base, cookie, randomUUID())).response.status).toBe(201);

    // 2. No room for the tables to grow, the log's segment fresh: each write fails on its own
    // (an ERROR, not a PANIC) and the engine goes on serving reads.
    disk.fill(256 * 1024);
    const full = await writeUntilRefused(base, cookie, acknowledged);
    await expectRefusedForTheDisk(base, cookie, full);
    const degraded = await readiness(base);
    expect(degraded.status).toBe(503);
    expect(degraded.body.database).toMatchObject({
      reachable: true,
      storageProblem: { kind: 'disk_full', engineStopped: false },
    });
    disk.free();
    await waitUntilReady(base);
    expect((await logInspection(base, cookie, randomUUID())).response.status).toBe(201);

    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 600_000);
});
