import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, type DataDirLock, DataDirLockedError } from './data-dir-lock.ts';

let dir: string;
const held: DataDirLock[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-lock-'));
});
afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Tries to take the folder `n` times at once; returns how many won and how many were refused. */
async function race(n: number) {
  const outcomes = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => acquireDataDirLock(dir, `taker ${i}`)),
  );
  for (const o of outcomes) if (o.status === 'fulfilled') held.push(o.value);
  return {
    won: outcomes.filter((o) => o.status === 'fulfilled').length,
    refused: outcomes.filter(
      (o) => o.status === 'rejected' && o.reason instanceof DataDirLockedError,
    ).length,
  };
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the data folder lock', () => {
  it('lets one of several takers in, the others told who holds it', async () => {
    expect(await race(4)).toEqual({ won: 1, refused: 3 });
    const second = acquireDataDirLock(dir, 'later');
    await expect(second).rejects.toThrow(/in use by process \d+ .*"taker \d"/);
  });

  it('is taken over from a dead holder by exactly one of several takers', async () => {
    const stale = {
      pid: deadPid(),
      hostname: os.hostname(),
      command: 'milepost serve',
      startedAt: '2026-01-01T00:00:00.000Z',
      socket: 'milepost-0123456789ab.sock',
    };
    fs.writeFileSync(path.join(dir, 'milepost.lock.7'), JSON.stringify(stale));
    // An older Milepost's claim, without a number, counts as the first.
    fs.writeFileSync(path.join(dir, 'milepost.lock'), JSON.stringify({ ...stale, socket: null }));
    expect(await race(3)).toEqual({ won: 1, refused: 2 });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('milepost.lock'))).toEqual([
      'milepost.lock.8',
    ]);
  });

  it('is free again once released, and a claim naming this pid from before is stale', async () => {
    const first = await acquireDataDirLock(dir, 'first');
    first.release();
    expect(fs.readdirSync(dir)).toContain('milepost.lock.1.released');
    held.push(await acquireDataDirLock(dir, 'second'));
    held.splice(0).map((lock) => lock.release());

    // In a container restarted, the new Milepost has the dead one's pid (1) and no socket helps.
    fs.writeFileSync(
      path.join(dir, 'milepost.lock.9'),
      JSON.stringify({
        pid: process.pid,
        hostname: os.hostname(),
        command: 'milepost serve',
        startedAt: '2026-01-01T00:00:00.000Z',
        startTicks: 1,
      }),
    );
    held.push(await acquireDataDirLock(dir, 'restarted'));
  });
});
