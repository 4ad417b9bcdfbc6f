import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '#db/client.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the migrated template lives: a PGlite dump file, or a database on the server. */
    template:
      | { engine: 'pglite'; dumpFile: string }
      | { engine: 'postgres'; url: string; database: string };
  }
}

/**
 * Migrates one database before the suite, so that each test file starts from a copy of it in
 * well under a second instead of migrating its own: a PGlite data-folder dump, or a PostgreSQL
 * template database when TEST_DATABASE_URL names a server.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const database = `milepost_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${database}`);
    await admin.query(`create database ${database}`);
    const url = withDatabase(serverUrl, database);
    const handle = await openDatabase({ engine: 'postgres', url, poolSize: 1 });
    await handle.migrate();
    await handle.close();
    project.provide('template', { engine: 'postgres', url: serverUrl, database });
    return async () => {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    };
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-template-'));
  const dumpFile = path.join(dir, 'template.tar');
  const handle = await openDatabase({ engine: 'pglite-memory' });
  await handle.migrate();
  const dump = await handle.pglite?.dumpDataDir('none');
  if (!dump) throw new Error('PGlite gave no dump of the template');
  fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('template', { engine: 'pglite', dumpFile });
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
