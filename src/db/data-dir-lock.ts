import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite is PostgreSQL inside this process: two processes opening one data folder would both
 * write its files and corrupt it. The process that holds the folder says so in a claim file
 * (`milepost.lock.N`) and listens on a Unix socket beside it for as long as it lives. Whether a
 * claim's holder still runs is asked of the kernel, not guessed from a process id: a process
 * that connects to the socket of a live holder is accepted, and the socket of a dead one
 * (`kill -9`, a zombie, a container restarted, where the new process has the old one's id) is
 * refused, whatever its PID namespace. See docs/decisions/0015-full-disks-and-the-data-folder-lock.md.
 */
export interface DataDirLockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  /** The socket the holder listens on, in the data folder; null where it could not listen. */
  socket?: string | null;
  /** The kernel's boot (Linux): the same boot means the same machine, since it started. */
  bootId?: string | null;
  /** The PID namespace the pid belongs to (Linux). */
  pidNamespace?: string | null;
  /** When the process started, in clock ticks since boot (Linux): tells a reused pid apart. */
  startTicks?: number | null;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLockHolder,
  ) {
    super(
      `The data folder ${dataDir} is in use by process ${holder.pid} on ${holder.hostname} ` +
        `("${holder.command}", started ${holder.startedAt}). The embedded database serves one ` +
        'process at a time. Stop that process first (or run this command through it), or set ' +
        'DATABASE_URL to a PostgreSQL server, which any number of Milepost processes can share.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

/** Claims are numbered: each takeover writes the next, so two takers cannot both win. */
const claimPattern = /^milepost\.lock(?:\.(\d+))?(\.released)?$/;
const claimName = (generation: number) => `milepost.lock.${generation}`;
/** How long a knock on a holder's socket may take before the holder is taken to be alive. */
const knockTimeoutMs = 2000;

/**
 * Takes the data folder for this process, or throws `DataDirLockedError` naming the process
 * that holds it. A claim left by a process that died is taken over.
 */
export async function acquireDataDirLock(dataDir: string, command: string): Promise<DataDirLock> {
  const listener = await listen(dataDir);
  try {
    const self = describeSelf(command, listener?.name ?? null);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = readLatestClaim(dataDir);
      if (latest && !latest.released && (await isHolderAlive(dataDir, latest.holder))) {
        throw new DataDirLockedError(dataDir, latest.holder);
      }
      const generation = (latest?.generation ?? 0) + 1;
      if (writeClaim(dataDir, generation, self)) {
        removeEarlierClaims(dataDir, generation);
        return holdLock(dataDir, generation, listener);
      }
      // Another process wrote that claim first: judge it on the next turn.
    }
    throw new Error(
      `Could not take the data folder ${dataDir}: other processes keep claiming it. Start one ` +
        'Milepost process at a time on it.',
    );
  } catch (error) {
    listener?.close();
    throw error;
  }
}

interface Listener {
  /** The socket's file name in the data folder. */
  name: string;
  close(): void;
}

/**
 * Listens on a socket in the data folder for as long as this process holds it; null where the
 * folder's file system or the platform has none (then the holder is judged by its process).
 */
async function listen(dataDir: string): Promise<Listener | null> {
  if (process.platform === 'win32') return null;
  const name = `milepost-${randomBytes(6).toString('hex')}.sock`;
  const reach = socketPath(dataDir, name);
  if (!reach) return null;
  const server = net.createServer((connection) => connection.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(reach.path, () => resolve());
    });
  } catch {
    reach.done();
    return null;
  }
  // Neither a knock nor the socket itself may keep a finished command running.
  server.unref();
  fs.chmodSync(path.join(dataDir, name), 0o600);
  return {
    name,
    close() {
      server.close();
      fs.rmSync(path.join(dataDir, name), { force: true });
      reach.done();
    },
  };
}

/**
 * A path to a socket in `dataDir` short enough for the system (108 bytes on Linux): through the
 * folder's open descriptor when the folder's own path is too long.
 */
function socketPath(dataDir: string, name: string): { path: string; done(): void } | null {
  const direct = path.join(dataDir, name);
  if (Buffer.byteLength(direct) < 100) return { path: direct, done() {} };
  if (!fs.existsSync('/proc/self/fd')) return null;
  const fd = fs.openSync(dataDir, 'r');
  return {
    path: `/proc/self/fd/${fd}/${name}`,
    done: () => fs.closeSync(fd),
  };
}

function describeSelf(command: string, socket: string | null): DataDirLockHolder {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
    socket,
    bootId: readBootId(),
    pidNamespace: readPidNamespace('self'),
    startTicks: readProcessStat('self')?.startTicks ?? null,
  };
}

interface Claim {
  generation: number;
  file: string;
  holder: DataDirLockHolder;
  released: boolean;
}

function readLatestClaim(dataDir: string): Claim | null {
  let latest: Claim | null = null;
  for (const file of fs.readdirSync(dataDir)) {
    const match = claimPattern.exec(file);
    if (!match) continue;
    // `milepost.lock`, without a number, is an older Milepost's claim.
    const generation = Number(match[1] ?? 0);
    if (latest && latest.generation >= generation) continue;
    const holder = readHolder(path.join(dataDir, file));
    latest = {
      generation,
      file,
      // An unreadable claim (cut short by a full disk) names no live holder.
      holder: holder ?? { pid: 0, hostname: os.hostname(), command: '?', startedAt: '?' },
      released: Boolean(match[2]) || holder === null,
    };
  }
  return latest;
}

function readHolder(file: string): DataDirLockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as DataDirLockHolder;
  } catch {
    return null;
  }
}

/**
 * Writes claim number `generation`, whole, or returns false if it exists: written aside, then
 * linked into place, since a link never replaces a file and no one reads a half-written claim.
 */
function writeClaim(dataDir: string, generation: number, holder: DataDirLockHolder): boolean {
  const aside = path.join(
    dataDir,
    `.milepost-claim-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  fs.writeFileSync(aside, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(aside, path.join(dataDir, claimName(generation)));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/** Removes the claims before `generation` and the sockets their dead holders left. */
function removeEarlierClaims(dataDir: string, generation: number): void {
  for (const file of fs.readdirSync(dataDir)) {
    const match = claimPattern.exec(file);
    if (!match || Number(match[1] ?? 0) >= generation) continue;
    const socket = readHolder(path.join(dataDir, file))?.socket;
    if (socket && /^milepost-[0-9a-f]+\.sock$/.test(socket)) {
      fs.rmSync(path.join(dataDir, socket), { force: true });
    }
    fs.rmSync(path.join(dataDir, file), { force: true });
  }
}

function holdLock(dataDir: string, generation: number, listener: Listener | null): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    listener?.close();
    // Marked, not removed: a process judging this claim right now then takes the next number,
    // as does any other, and only one of them can write it.
    const file = path.join(dataDir, claimName(generation));
    try {
      fs.renameSync(file, `${file}.released`);
    } catch {
      // A later holder already removed it.
    }
  };
  process.on('exit', release);
  return { release };
}

async function isHolderAlive(dataDir: string, holder: DataDirLockHolder): Promise<boolean> {
  const bootId = readBootId();
  if (holder.bootId && bootId && holder.bootId !== bootId) {
    // Another kernel: this machine since restarted (the holder died with it), or another
    // machine sharing the folder, which cannot be asked: then assume it runs.
    return holder.hostname !== os.hostname();
  }
  if (!holder.bootId && holder.hostname !== os.hostname()) return true;
  if (holder.socket && /^milepost-[0-9a-f]+\.sock$/.test(holder.socket)) {
    const answer = await knock(dataDir, holder.socket);
    if (answer !== 'unknown') return answer === 'alive';
  }
  return isProcessAlive(holder);
}

/** Connects to a holder's socket: accepted means alive; refused means its process is gone. */
async function knock(dataDir: string, name: string): Promise<'alive' | 'dead' | 'unknown'> {
  const reach = socketPath(dataDir, name);
  if (!reach) return 'unknown';
  try {
    return await new Promise((resolve) => {
      const socket = net.connect(reach.path);
      const timer = setTimeout(() => finish('alive'), knockTimeoutMs);
      const finish = (answer: 'alive' | 'dead' | 'unknown') => {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      };
      socket.once('connect', () => finish('alive'));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        // EAGAIN: the holder's queue of connections is full; it is alive, only busy.
        if (error.code === 'EAGAIN') finish('alive');
        else if (error.code === 'ECONNREFUSED') finish('dead');
        else finish('unknown');
      });
    });
  } finally {
    reach.done();
  }
}

/**
 * Judges a holder by its process, where its socket cannot tell: its pid must run, not as a
 * zombie, and since the moment the claim names (a pid is reused). A holder in another PID
 * namespace cannot be seen from here and is assumed to run.
 */
function isProcessAlive(holder: DataDirLockHolder): boolean {
  const namespace = readPidNamespace('self');
  if (holder.pid === process.pid) {
    // Only this very process, started when the claim says, is this process: in a container
    // restarted, Milepost is process 1 again, and the claim of the one before names process 1.
    const startTicks = readProcessStat('self')?.startTicks;
    return (
      holder.startTicks != null &&
      holder.startTicks === startTicks &&
      holder.pidNamespace === namespace
    );
  }
  if (holder.pidNamespace && namespace && holder.pidNamespace !== namespace) return true;
  if (fs.existsSync('/proc/self/stat')) {
    const stat = readProcessStat(String(holder.pid));
    if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
    return holder.startTicks == null || stat.startTicks === holder.startTicks;
  }
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readBootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

function readPidNamespace(pid: string): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

/** State and start time of a process from /proc/PID/stat (fields 3 and 22); null if none. */
function readProcessStat(pid: string): { state: string; startTicks: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', startTicks: Number(fields[19]) };
  } catch {
    return null;
  }
}
