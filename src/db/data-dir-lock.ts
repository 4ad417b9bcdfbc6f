import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite is PostgreSQL inside this process: two processes opening one data folder would both
 * write its files and corrupt it. This lock file lets the first one in hold the folder and
 * tells any later one which process holds it.
 */
export interface DataDirLockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
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

const lockFileName = 'milepost.lock';

export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, lockFileName);
  const holder: DataDirLockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // 'wx' creates the file only if it does not exist: of two racing processes, one wins.
      fs.writeFileSync(lockPath, `${JSON.stringify(holder)}\n`, { flag: 'wx', mode: 0o600 });
      return createLock(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readHolder(lockPath);
    if (current && isAlive(current)) throw new DataDirLockedError(dataDir, current);
    // The holder died without releasing (a crash, kill -9): the lock is stale. Remove it only
    // if it is still the file we judged stale, then race for it again.
    removeIfUnchanged(lockPath, current);
  }
  const current = readHolder(lockPath);
  if (current) throw new DataDirLockedError(dataDir, current);
  throw new Error(`Could not take the lock ${lockPath}; remove it if no Milepost process runs.`);
}

function createLock(lockPath: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const current = readHolder(lockPath);
    if (current?.pid === process.pid) fs.rmSync(lockPath, { force: true });
  };
  process.on('exit', release);
  return { release };
}

function readHolder(lockPath: string): DataDirLockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as DataDirLockHolder;
  } catch {
    return null;
  }
}

function isAlive(holder: DataDirLockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true; // cannot tell: assume it runs
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfUnchanged(lockPath: string, judged: DataDirLockHolder | null): void {
  const current = readHolder(lockPath);
  if (JSON.stringify(current) === JSON.stringify(judged)) fs.rmSync(lockPath, { force: true });
}
