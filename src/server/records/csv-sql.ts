import { type SQL, sql } from 'drizzle-orm';

/**
 * CSV exports written by the database: a page of records is one `COPY (…) TO STDOUT` in CSV
 * format, so an export of a million records costs the server a statement per page and Node no
 * object, no string per record. COPY quotes a field when it must and writes NULL as an empty
 * field; spreadsheet formulas are neutralised by `csv_text` (migration 0012), as `csv.ts` does
 * for the exports written in Node.
 */
export interface CsvSqlColumn {
  header: string;
  /** A text expression; NULL is an empty field. One of the field helpers below. */
  value: SQL;
}

/** A text field that a person typed: formulas neutralised (see csv_text). */
export const csvText = (expression: SQL | unknown): SQL => sql`csv_text(${expression}::text)`;

/**
 * A value that cannot start with a formula character (an id, a date, a code of a catalogue), as
 * it is; an empty one (no red flags) an empty field, not "".
 */
export const csvPlain = (expression: unknown): SQL => sql`nullif(${expression}::text, '')`;

/** A number as it is: `-94.5`, `12`. */
export const csvNumber = (expression: unknown): SQL => sql`${expression}::text`;

/** `true` or `false`. */
export const csvBoolean = (expression: unknown): SQL =>
  sql`case when ${expression} then 'true' when not ${expression} then 'false' end`;

/** An instant as ISO 8601 in UTC with milliseconds, as JavaScript writes it. */
export const csvInstant = (expression: unknown): SQL =>
  sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
