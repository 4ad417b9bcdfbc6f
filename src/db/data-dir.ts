import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded engine's data folder: made private to its owner, and checked for room before the
 * engine is trusted with it.
 */

/** The data folder cannot be used (read-only, full, not ours): said in one line, no stack. */
export class DataDirUnusableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirUnusableError';
  }
}

/**
 * Free space the embedded engine needs before Milepost calls its disk healthy again or reopens
 * it: two segments of PostgreSQL's write-ahead log (16 MB each), the most it grows by at once.
 */
export const roomToWriteBytes = 32 * 1024 * 1024;

const probeFileName = '.milepost-write-probe';

/**
 * Creates the data folder if needed and makes it its owner's alone (0700, whatever the umask),
 * or says in one line why it cannot be used. Runs before anything is written into it.
 */
export function prepareDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
    probeWrite(dataDir);
  } catch (error) {
    throw explainUnusable(dataDir, error);
  }
}

/**
 * Makes every folder under `root` 0700 and every file 0600. PGlite writes the files of a new
 * database with mode 0666 whatever the umask (files PostgreSQL creates later are 0600 already),
 * and a data folder copied or made by an older Milepost may be open too.
 */
export function restrictToOwner(root: string): void {
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        fs.chmodSync(full, 0o700);
        walk(full);
      } else if (entry.isFile() || entry.isSocket()) {
        fs.chmodSync(full, 0o600);
      }
    }
  };
  fs.chmodSync(root, 0o700);
  walk(root);
}

/**
 * Whether the folder can take writes again: room for the engine to grow, and a file can be made
 * there (a disk remounted read-only has room but takes nothing).
 */
export function hasRoomToWrite(dataDir: string): boolean {
  try {
    const { bavail, bsize } = fs.statfsSync(dataDir);
    if (bavail * bsize < roomToWriteBytes) return false;
    probeWrite(dataDir);
    return true;
  } catch {
    return false;
  }
}

function probeWrite(dataDir: string): void {
  const probe = path.join(dataDir, probeFileName);
  fs.writeFileSync(probe, 'milepost', { mode: 0o600 });
  fs.rmSync(probe, { force: true });
}

/** Why the engine could not start in `dataDir`, when its disk is the reason; else null. */
export function explainStartFailure(dataDir: string): DataDirUnusableError | null {
  try {
    const { bavail, bsize } = fs.statfsSync(dataDir);
    if (bavail * bsize < roomToWriteBytes) {
      return new DataDirUnusableError(
        `The data folder ${dataDir} has ${megabytes(bavail * bsize)} free, and the embedded ` +
          `database needs ${megabytes(roomToWriteBytes)} to start: free some space, then start ` +
          'Milepost again.',
      );
    }
    probeWrite(dataDir);
    return null;
  } catch (error) {
    return explainUnusable(dataDir, error);
  }
}

function explainUnusable(dataDir: string, error: unknown): DataDirUnusableError | Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `The data folder ${dataDir}`;
  if (code === 'EROFS') {
    return new DataDirUnusableError(
      `${where} is on a read-only file system, and Milepost writes its database there: mount ` +
        'it read-write, or set MILEPOST_DATA_DIR to a folder Milepost may write.',
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DataDirUnusableError(
      `${where} has no space left (${code}): free some, then start Milepost again.`,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DataDirUnusableError(
      `${where} is not Milepost's to write (${code}): it must belong to the user Milepost ` +
        'runs as, or MILEPOST_DATA_DIR must name another.',
    );
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new DataDirUnusableError(`${where} is not a folder (${code}).`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
