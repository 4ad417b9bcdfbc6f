import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface RunOptions {
  /** A command that runs Node for us, such as `nsenter -t PID -m --` or `unshare -fp --`. */
  via?: string[];
}

/** Runs a script or the `milepost` command in a child process with a clean environment. */
export function run(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: RunOptions = {},
): Running {
  const [command, ...prefix] = [...(options.via ?? []), process.execPath];
  const child = spawn(command ?? process.execPath, [...prefix, ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      MILEPOST_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    }),
  );
  return {
    child,
    exited,
    output: () => text,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`process ended before ${pattern}:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

export const milepost = (
  args: string[],
  env: Record<string, string | undefined> = {},
  options: RunOptions = {},
) => run(['bin/milepost.js', ...args], env, options);

/** Waits for the start-up banner and returns the address the server listens on. */
export async function addressOf(server: Running): Promise<string> {
  // A cold start of Node and PGlite takes seconds, and minutes on a machine that is very busy.
  const [, address] = await server.waitFor(/Milepost is serving at (http:\/\/\S+)/, 180_000);
  if (!address) throw new Error('the banner named no address');
  return address;
}

/** Whether this machine lets the tests mount file systems and make namespaces (Linux, root). */
export const canMount = process.platform === 'linux' && process.getuid?.() === 0;

/**
 * A small disk: a tmpfs of `megabytes` mounted at `dir` in a mount namespace of its own, held by
 * a sleeping process, so that nothing outside it (other tests, the machine) sees it, and it goes
 * when that process ends. Processes started with `via` run inside it; this process reaches its
 * files through the keeper's root (`outside`).
 */
export interface SmallDisk {
  dir: string;
  via: string[];
  outside(inside: string): string;
  freeBytes(): number;
  /** Fills the disk with one file until `leaveBytes` remain free. */
  fill(leaveBytes: number): void;
  /** Removes what `fill` wrote. */
  free(): void;
  close(): void;
}

export async function mountSmallDisk(dir: string, megabytes: number): Promise<SmallDisk> {
  fs.mkdirSync(dir, { recursive: true });
  const keeper = spawn(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      `mount -t tmpfs -o size=${megabytes}m,mode=0755 milepost-test "$1" && echo mounted && exec sleep 3600`,
      'sh',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    keeper.stdout?.once('data', () => resolve());
    keeper.once('exit', (code) => reject(new Error(`could not mount a tmpfs (exit ${code})`)));
  });
  const outside = (inside: string) => `/proc/${keeper.pid}/root${inside}`;
  const filler = outside(path.join(dir, 'filler'));
  const freeBytes = () => {
    const { bavail, bsize } = fs.statfsSync(outside(dir));
    return bavail * bsize;
  };
  return {
    dir,
    via: ['nsenter', '-t', String(keeper.pid), '-m', `--wd=${repoRoot}`, '--'],
    outside,
    freeBytes,
    fill(leaveBytes) {
      const fd = fs.openSync(filler, 'a');
      try {
        const chunk = Buffer.alloc(1024 * 1024);
        while (freeBytes() > leaveBytes) {
          const size = Math.min(chunk.length, freeBytes() - leaveBytes);
          fs.writeSync(fd, chunk, 0, Math.max(size, 4096));
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    close() {
      keeper.kill('SIGKILL');
    },
  };
}
