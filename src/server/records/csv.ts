import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';

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

/** How many rows go out in one chunk: a few hundred lines, not one write per line. */
const rowsPerChunk = 500;

/**
 * Streams rows as CSV: a header, then the rows as they arrive, a few hundred lines to a chunk
 * (one chunk per row would cost a write, and a zip entry a compression call, per line).
 */
export function csvStream<T>(columns: CsvColumn<T>[], rows: AsyncIterable<T>): Readable {
  return Readable.from(
    (async function* () {
      yield `\ufeff${stringify([columns.map((c) => c.header)])}`;
      let lines: (string | number)[][] = [];
      for await (const row of rows) {
        lines.push(columns.map((c) => cell(c.value(row))));
        if (lines.length === rowsPerChunk) {
          yield stringify(lines);
          lines = [];
        }
      }
      if (lines.length > 0) yield stringify(lines);
    })(),
    { objectMode: false },
  );
}
