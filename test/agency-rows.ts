import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import type { RowCounts } from './row-counts.ts';

/**
 * A digest of every row that belongs to one agency, table by table: what another agency's
 * requests must leave exactly as it was (its records, their lines, its stock, its tips, its
 * audit log...). Found from the schema itself, so a new table is covered without anyone listing
 * it: a table with `agency_id` is filtered on it; a table without one, by a foreign key to a
 * table that has one (a record's material lines by their record, a tip's notes by their tip, a
 * session by its user); a table that has neither is shared by every agency and digested whole.
 */
export type AgencyRows = Record<string, string>;

const statements = new WeakMap<Database, Promise<(agencyId: string) => SQL>>();

async function buildStatement(db: Database): Promise<(agencyId: string) => SQL> {
  const tables = (
    await db.execute<{ name: string; has_agency: boolean }>(sql`
      select t.table_name as name, exists (select 1 from information_schema.columns c
          where c.table_schema = 'public' and c.table_name = t.table_name
            and c.column_name = 'agency_id') as has_agency
      from information_schema.tables t
      where t.table_schema = 'public' and t.table_type = 'BASE TABLE' order by t.table_name`)
  ).rows;
  const owned = new Set(tables.filter((t) => t.has_agency).map((t) => t.name));
  owned.add('agencies');
  const keys = (
    await db.execute<{ name: string; col: string; ref: string; refcol: string }>(sql`
      select cl.relname as name, a.attname as col, rl.relname as ref, af.attname as refcol
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_class rl on rl.oid = c.confrelid
      join pg_namespace n on n.oid = cl.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join pg_attribute af on af.attrelid = c.confrelid and af.attnum = c.confkey[1]
      where c.contype = 'f' and cardinality(c.conkey) = 1
      order by cl.relname, a.attname`)
  ).rows;
  return (agencyId: string) => {
    const agency = sql`${agencyId}::uuid`;
    const parts = tables.map(({ name, has_agency }) => {
      const table = sql.identifier(name);
      let where: SQL;
      if (name === 'agencies') where = sql`x.id = ${agency}`;
      else if (has_agency) where = sql`x.agency_id = ${agency}`;
      else {
        const key = keys.find((k) => k.name === name && owned.has(k.ref));
        where = key
          ? sql`x.${sql.identifier(key.col)} in (select r.${sql.identifier(key.refcol)}
              from ${sql.identifier(key.ref)} r where ${
                key.ref === 'agencies' ? sql`r.id = ${agency}` : sql`r.agency_id = ${agency}`
              })`
          : sql`true`;
      }
      return sql`select ${name} as name, (select count(*)::int from ${table}) as total,
        count(*)::int || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), ''))
          as digest
        from ${table} x where ${where}`;
    });
    return sql.join(parts, sql` union all `);
  };
}

/**
 * The digest of each table's rows of the agency (see AgencyRows) and the number of rows of each
 * table, all of them (as countRows counts them), in one statement.
 */
export async function tableStates(
  db: Database,
  agencyId: string,
): Promise<{ agency: AgencyRows; counts: RowCounts }> {
  let statement = statements.get(db);
  if (!statement) {
    statement = buildStatement(db);
    statements.set(db, statement);
  }
  const result = await db.execute<{ name: string; total: number; digest: string }>(
    (await statement)(agencyId),
  );
  return {
    agency: Object.fromEntries(result.rows.map((row) => [row.name, row.digest])),
    counts: Object.fromEntries(result.rows.map((row) => [row.name, Number(row.total)])),
  };
}

/** The digest of each table's rows of the agency (see AgencyRows), in one statement. */
export async function agencyRows(db: Database, agencyId: string): Promise<AgencyRows> {
  return (await tableStates(db, agencyId)).agency;
}

/** The tables whose digest differs between two readings of an agency's rows. */
export function changedAgencyTables(before: AgencyRows, after: AgencyRows): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}
