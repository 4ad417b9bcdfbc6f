import { type SQL, sql } from 'drizzle-orm';

/**
 * CSV exports written by the database: each record becomes one CSV line in SQL, so an export of
 * a million records costs the server a query per page, not a JavaScript object per record.
 * The fields follow the same rules as `csv.ts` (formulas neutralised, quoting as needed), by the
 * `csv_field` function of migration 0010.
 */
export interface CsvSqlColumn {
  header: string;
  /** A text expression, never NULL: one of the field helpers below. */
  value: SQL;
}

/** A text field: neutralised and quoted as needed; empty for NULL. */
export const csvText = (expression: SQL | unknown): SQL => sql`csv_field(${expression}::text)`;

/**
 * A value that cannot hold a comma, a quote, a line break or a leading formula character (an
 * id, a date, a code of a catalogue), as it is; empty for NULL.
 */
export const csvPlain = (expression: unknown): SQL => sql`coalesce(${expression}::text, '')`;

/** A number as it is: `-94.5`, `12`; empty for NULL. */
export const csvNumber = (expression: unknown): SQL => sql`coalesce(${expression}::text, '')`;

/** `true` or `false`; empty for NULL. */
export const csvBoolean = (expression: unknown): SQL =>
  sql`coalesce(case when ${expression} then 'true' else 'false' end, '')`;

/** An instant as ISO 8601 in UTC with milliseconds, as JavaScript writes it; empty for NULL. */
export const csvInstant = (expression: unknown): SQL =>
  sql`coalesce(to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`;

/** The fields of a record as one CSV line. */
export function csvLine(columns: CsvSqlColumn[]): SQL {
  return sql.join(
    columns.map((c) => c.value),
    sql` || ',' || `,
  );
}
