import { sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';

/** Rows per table of the public schema: what a refused request must leave exactly as it was. */
export type RowCounts = Record<string, number>;

const tableNames = new WeakMap<Database, Promise<string[]>>();

/** The tables of the public schema, read once per database. */
export function tablesOf(db: Database): Promise<string[]> {
  let names = tableNames.get(db);
  if (!names) {
    names = db
      .execute<{ name: string }>(
        sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
      )
      .then((result) => result.rows.map((row) => row.name));
    tableNames.set(db, names);
  }
  return names;
}

/** Counts the rows of every table in one statement. */
export async function countRows(db: Database): Promise<RowCounts> {
  const names = await tablesOf(db);
  const counts = sql.join(
    names.map(
      (name) => sql`select ${name} as name, count(*)::int as rows from ${sql.identifier(name)}`,
    ),
    sql` union all `,
  );
  const result = await db.execute<{ name: string; rows: number }>(counts);
  return Object.fromEntries(result.rows.map((row) => [row.name, Number(row.rows)]));
}

/** The tables whose row count differs between two counts, with both figures. */
export function changedTables(before: RowCounts, after: RowCounts): string[] {
  return Object.keys({ ...before, ...after })
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] ?? 0} → ${after[name] ?? 0}`);
}
