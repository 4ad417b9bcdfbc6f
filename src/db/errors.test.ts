import { describe, expect, it } from 'vitest';
import { classifyStorageError, DatabaseStoppedError, isUniqueViolation } from './errors.ts';

/** An error as the drivers throw it, wrapped by Drizzle as it does (the driver's is the cause). */
function wrapped(fields: Record<string, unknown>, message = 'database error') {
  return Object.assign(new Error('Failed query: insert into ...'), {
    cause: Object.assign(new Error(message), fields),
  });
}

describe('classifyStorageError', () => {
  it('names the outage behind a SQLSTATE, through Drizzle wrapping', () => {
    expect(classifyStorageError(wrapped({ code: '53100' }))).toEqual({
      kind: 'disk_full',
      code: '53100',
    });
    expect(classifyStorageError(wrapped({ code: '25006' }))?.kind).toBe('read_only');
    expect(classifyStorageError(wrapped({ code: '53300' }))?.kind).toBe('insufficient_resources');
    expect(classifyStorageError(wrapped({ code: '57P01' }))?.kind).toBe('unavailable');
    expect(classifyStorageError(wrapped({ code: '58030' }))?.kind).toBe('io_error');
  });

  it("reads the system's words where PostgreSQL files a read-only disk under another SQLSTATE", () => {
    const erofs = wrapped(
      { code: '42501' },
      'could not create file "base/5/16400": Read-only file system',
    );
    expect(classifyStorageError(erofs)).toEqual({ kind: 'read_only', code: '42501' });
    // A missing grant is the same SQLSTATE, and no outage.
    expect(classifyStorageError(wrapped({ code: '42501' }, 'permission denied for table x'))).toBe(
      null,
    );
  });

  it('knows the system codes of Node and the engine stopped by Milepost', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    expect(classifyStorageError(enospc)?.kind).toBe('disk_full');
    expect(
      classifyStorageError(new DatabaseStoppedError({ kind: 'disk_full', code: '53100' })),
    ).toEqual({ kind: 'disk_full', code: '53100' });
    expect(classifyStorageError(new Error('Connection terminated unexpectedly'))?.kind).toBe(
      'unavailable',
    );
  });

  it("leaves the caller's mistakes and the program's bugs alone", () => {
    for (const code of ['23505', '23503', '22P02', '22021', '40001', 'XX000']) {
      expect(classifyStorageError(wrapped({ code })), code).toBe(null);
    }
    expect(classifyStorageError(new TypeError('x is undefined'))).toBe(null);
    // Words a caller typed, echoed in an error about their input, are not the system's.
    const echoed = wrapped({ code: '22P02' }, 'invalid input syntax: x: Read-only file system');
    expect(classifyStorageError(echoed)).toBe(null);
    expect(classifyStorageError(null)).toBe(null);
    // A unique violation is still one.
    expect(isUniqueViolation(wrapped({ code: '23505' }))).toBe(true);
  });
});
