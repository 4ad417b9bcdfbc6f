import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/** A column of a CSV export: its header and how to read it from a row. */
export interface CsvColumn<T> {
  header: string;
  value(row: T): string | number | boolean | null | undefined;
}

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return)
 * as a formula. Text cells that do are prefixed with an apostrophe so they stay text; numbers
 * are left alone.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cell(value: string | number | boolean | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutralizeFormula(value);
}

/** Streams rows as CSV: a header, then one line per row, as the rows arrive. */
export function csvStream<T>(columns: CsvColumn<T>[], rows: AsyncIterable<T>): Readable {
  const stringifier = stringify({ header: true, columns: columns.map((c) => c.header), bom: true });
  const source = Readable.from(
    (async function* () {
      for await (const row of rows) yield columns.map((c) => cell(c.value(row)));
    })(),
  );
  source.on('error', (error) => stringifier.destroy(error));
  return source.pipe(stringifier);
}
