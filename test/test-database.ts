import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '#db/client.ts';
import { withDatabase } from './global-setup.ts';

export interface TestDatabase extends DatabaseHandle {
  /** The connection string of this copy, on the server engine. */
  url?: string;
}

/**
 * A fresh, migrated database of this test file's own: a PGlite copy of the template in memory,
 * or a new database cloned from the template on the PostgreSQL server. Close it after use.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('template');
  if (template.engine === 'pglite') {
    const dump = new Blob([fs.readFileSync(template.dumpFile)]);
    return openDatabase({ engine: 'pglite-memory', loadDataDir: dump });
  }
  const name = `milepost_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template.database}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(template.url, name);
  const handle = await openDatabase({ engine: 'postgres', url, poolSize: 5 });
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: template.url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export function testEngine(): 'pglite' | 'postgres' {
  return inject('template').engine;
}
