import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, canMount, milepost, type Running, run } from './processes.ts';

/**
 * The embedded engine's data folder, as people run Milepost: whose it is, who holds it (also
 * in containers, where Milepost is process 1), and what a read-only one does. Real processes.
 */

const started: Running[] = [];
let tmp: string;
/** A migrated data folder, made with umask 000; each test works on a copy. */
let migrated: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-folder-'));
  migrated = path.join(tmp, 'migrated');
  const migrate = track(
    milepost(['migrate'], { MILEPOST_DATA_DIR: migrated }, { via: withUmask('000') }),
  );
  expect((await migrate.exited).code).toBe(0);
}, 180_000);
afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function track(p: Running): Running {
  started.push(p);
  return p;
}

function withUmask(mask: string): string[] {
  return ['sh', '-c', `umask ${mask} && exec "$@"`, 'sh'];
}

function copyOfMigrated(name: string): string {
  const copy = path.join(tmp, name);
  fs.cpSync(migrated, copy, { recursive: true });
  return copy;
}

/** Every folder and file under `root` that its owner does not have alone, with its mode. */
function openToOthers(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const mode = fs.lstatSync(full).mode & 0o777;
      if (entry.isDirectory()) {
        if (mode !== 0o700) found.push(`${full} ${mode.toString(8)}`);
        walk(full);
      } else if (mode !== 0o600) {
        found.push(`${full} ${mode.toString(8)}`);
      }
    }
  };
  if ((fs.statSync(root).mode & 0o777) !== 0o700) found.push(root);
  walk(root);
  return found;
}

describe('the data folder belongs to its owner', () => {
  it('is made 0700 with files 0600 under umask 000, and an open one is closed at start', async () => {
    // Made by `milepost migrate` under umask 000 (beforeAll): PGlite writes 0666 files itself.
    expect(openToOthers(migrated)).toEqual([]);
    expect(fs.readdirSync(path.join(migrated, 'pglite')).length).toBeGreaterThan(10);

    // A folder left open (copied carelessly, or by an older Milepost) is closed when it starts.
    const dataDir = copyOfMigrated('opened');
    execFileSync('chmod', ['-R', 'a+rwX', dataDir]);
    expect(openToOthers(dataDir).length).toBeGreaterThan(1000);
    const server = track(
      milepost(['serve'], { MILEPOST_DATA_DIR: dataDir, PORT: '0' }, { via: withUmask('000') }),
    );
    await addressOf(server);
    // While it serves: its socket, the key file and what PostgreSQL has written since, too.
    expect(fs.readdirSync(dataDir).some((f) => f.endsWith('.sock'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'secret-keys'))).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 180_000);
});

describe.runIf(canMount)('the lock on the data folder', () => {
  /** `milepost serve` as process 1 of a PID namespace of its own, as in a container. */
  const serveAsProcessOne = (dataDir: string) =>
    track(
      milepost(
        ['serve'],
        { MILEPOST_DATA_DIR: dataDir, PORT: '0' },
        // Killing unshare kills its child, process 1 inside, as a container's stop does.
        { via: ['unshare', '-fp', '--mount-proc', '--kill-child=SIGKILL', '--'] },
      ),
    );

  it('is taken over after kill -9 in a container restarted, where Milepost is process 1 again, and still excludes a live holder', async () => {
    const dataDir = copyOfMigrated('container');
    const first = serveAsProcessOne(dataDir);
    await addressOf(first);

    // Held by process 1 of another PID namespace: a process outside is refused all the same.
    const outside = track(milepost(['migrate'], { MILEPOST_DATA_DIR: dataDir }));
    expect((await outside.exited).code).toBe(1);
    expect(outside.output()).toContain('in use by process 1 ');

    first.child.kill('SIGKILL');
    await first.exited;
    const second = serveAsProcessOne(dataDir);
    const base = await addressOf(second);
    expect(second.output()).not.toContain('in use');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // And the restarted one holds the folder in its turn.
    const third = serveAsProcessOne(dataDir);
    expect((await third.exited).code).toBe(1);
    expect(third.output()).toContain('in use by process 1 ');
    second.child.kill('SIGKILL');
    await second.exited;
  }, 240_000);

  it('is taken over from a holder that died but is still a zombie', async () => {
    const dataDir = copyOfMigrated('zombie');
    const script = path.join(import.meta.dirname, 'scripts', 'write-then-wait.ts');
    // The shell runs the holder in the background, then becomes `sleep`, which never reaps it.
    const parent = track(
      run(
        ['--import', 'tsx', script, dataDir, 'write'],
        {},
        {
          via: ['sh', '-c', '"$@" & exec sleep 600', 'sh'],
        },
      ),
    );
    await parent.waitFor(/acknowledged/);
    const claim = fs.readdirSync(dataDir).find((f) => /^milepost\.lock\.\d+$/.test(f)) ?? '';
    const holder = JSON.parse(fs.readFileSync(path.join(dataDir, claim), 'utf8')) as {
      pid: number;
    };
    process.kill(holder.pid, 'SIGKILL');
    const stateOf = () => fs.readFileSync(`/proc/${holder.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    for (let i = 0; i < 50 && stateOf() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(stateOf()).toBe('Z');

    const next = track(milepost(['migrate'], { MILEPOST_DATA_DIR: dataDir }));
    expect((await next.exited).code, next.output()).toBe(0);
    parent.child.kill('SIGKILL');
  }, 180_000);
});

describe.runIf(canMount)('a read-only data folder', () => {
  /** `milepost serve` with `dataDir` mounted read-only (a bind mount in a namespace of its own). */
  const serveReadOnly = (dataDir: string) =>
    track(
      milepost(
        ['serve'],
        { MILEPOST_DATA_DIR: dataDir, PORT: '0' },
        {
          via: [
            'unshare',
            '-m',
            '--propagation',
            'private',
            'sh',
            '-c',
            'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
            'sh',
            dataDir,
          ],
        },
      ),
    );

  it('stops the start with exit code 1 and one line, for a folder in use before and for an empty one', async () => {
    for (const dataDir of [copyOfMigrated('read-only'), path.join(tmp, 'read-only-empty')]) {
      fs.mkdirSync(dataDir, { recursive: true });
      const server = serveReadOnly(dataDir);
      expect((await server.exited).code).toBe(1);
      const lines = server.output().trim().split('\n');
      expect(lines, server.output()).toHaveLength(1);
      expect(lines[0]).toMatch(/^milepost: .*read-only/);
    }
  }, 180_000);
});
