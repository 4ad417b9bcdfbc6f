import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { migrationsFolder } from './client.ts';

interface Journal {
  entries: { tag: string; when: number }[];
}

export interface MigrationStatus {
  applied: number;
  expected: number;
  pending: string[];
}

function readJournal(): Journal {
  return JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
}

/** Compares what the database has applied with the migrations this build ships. */
export async function readMigrationStatus(db: Database): Promise<MigrationStatus> {
  const journal = readJournal();
  const exists = await db.execute<{ present: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  let lastApplied = 0;
  let applied = 0;
  if (exists.rows[0]?.present) {
    const result = await db.execute<{ n: number; last: string | null }>(
      sql`select count(*)::int as n, max(created_at)::text as last from drizzle.__drizzle_migrations`,
    );
    applied = Number(result.rows[0]?.n ?? 0);
    lastApplied = Number(result.rows[0]?.last ?? 0);
  }
  const pending = journal.entries.filter((e) => e.when > lastApplied).map((e) => e.tag);
  return { applied, expected: journal.entries.length, pending };
}
