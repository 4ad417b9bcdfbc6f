import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import {
  type CreateObservation,
  type CreateSeries,
  createObservationSchema,
  createSeriesSchema,
  type StatisticsImportReport,
  seriesKeySchema,
  sourceDateSchema,
  sourceUrlSchema,
} from '#shared/contracts/statistics.ts';
import { parsePeriod, periodHasEnded } from '#shared/statistics.ts';
import type { RequestContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { assertImportable } from '../imports/imports.service.ts';
import { findSeries, lockLatestObservation } from './statistics.repository.ts';
import { storeObservationAfter, storeSeries } from './statistics.service.ts';

/**
 * The CSV layout of reference statistics, one observation a row. `subject`, `geography` and
 * `unit` (and optionally `sentence`) are needed only on the first row of a series Milepost does
 * not hold yet.
 */
export const statisticsCsvColumns = [
  'series_key',
  'period',
  'value',
  'source_organisation',
  'publication',
  'url',
  'source_table',
  'published_on',
  'retrieved_on',
  'notes',
  'verified',
  'subject',
  'geography',
  'unit',
  'sentence',
] as const;

interface ParsedRow {
  row: number;
  series?: CreateSeries;
  observation: Omit<CreateObservation, 'id'>;
}

const blankToNull = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? null : value.trim();

/** A count as BJS and the press print it: `1,519`; footnote marks dropped. */
function readCount(text: string): number | undefined {
  const cleaned = text.replace(/[,\s]/g, '').replace(/[*a-z/]+$/i, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

const fieldOf = (path: PropertyKey[]) =>
  String(path[0]).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Imports from the CSV layout above; all or nothing. Re-importing the same file adds nothing. */
export async function importStatisticsCsv(
  db: Database,
  ctx: RequestContext,
  text: string,
): Promise<StatisticsImportReport> {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw ValidationError.field('file', `is not CSV: ${(error as Error).message}`);
  }
  const header = Object.keys(records[0] ?? {});
  const missing = ['series_key', 'period', 'value', 'source_organisation', 'publication'].filter(
    (c) => !header.includes(c),
  );
  if (missing.length > 0) {
    throw ValidationError.field('header', `lacks the column(s) ${missing.join(', ')}`);
  }
  const invalid: { row: number; errors: { field: string; message: string }[] }[] = [];
  const parsed: ParsedRow[] = [];
  records.forEach((record, index) => {
    const row = index + 2;
    const value = readCount(record.value ?? '');
    const observation = createObservationSchema.omit({ id: true }).safeParse({
      seriesKey: record.series_key,
      period: record.period,
      value: value ?? Number.NaN,
      sourceOrganisation: record.source_organisation,
      publication: record.publication,
      url: blankToNull(record.url),
      sourceTable: blankToNull(record.source_table),
      publishedOn: blankToNull(record.published_on),
      retrievedOn: blankToNull(record.retrieved_on),
      notes: record.notes ?? '',
      verified: !/^(false|no|0)$/i.test(record.verified ?? ''),
    });
    const errors = observation.success
      ? []
      : observation.error.issues.map((i) => ({
          field: fieldOf(i.path),
          message: i.path[0] === 'value' ? 'must be a number' : i.message,
        }));
    let series: CreateSeries | undefined;
    if (record.subject || record.geography || record.unit) {
      const parsedSeries = createSeriesSchema.safeParse({
        key: record.series_key,
        subject: record.subject,
        geography: record.geography,
        unit: record.unit,
        sentence: record.sentence ?? '',
      });
      if (parsedSeries.success) series = parsedSeries.data;
      else
        errors.push(
          ...parsedSeries.error.issues.map((i) => ({ field: fieldOf(i.path), message: i.message })),
        );
    }
    if (errors.length > 0 || !observation.success) invalid.push({ row, errors });
    else parsed.push({ row, series, observation: observation.data });
  });
  assertImportable(invalid, { skipInvalid: false });
  return applyRows(db, ctx, 'csv', records.length, parsed);
}

export interface BjsTableOptions {
  publication: string;
  sourceOrganisation?: string | undefined;
  url?: string | null | undefined;
  sourceTable?: string | null | undefined;
  publishedOn?: string | null | undefined;
  retrievedOn?: string | null | undefined;
  /** Which series each count column feeds, by a word of its heading. */
  columns?: Record<string, string> | undefined;
}

/** BJS's usual columns: persons referred, prosecuted and convicted. */
const bjsColumns: Record<string, string> = {
  referred: 'bjs.federal.referred',
  prosecuted: 'bjs.federal.prosecuted',
  convicted: 'bjs.federal.convicted',
};

const bjsOptionsSchema = z.object({
  publication: z.string().trim().min(2).max(300),
  sourceOrganisation: z.string().trim().min(2).max(200).default('Bureau of Justice Statistics'),
  url: sourceUrlSchema.nullable().default(null),
  sourceTable: z.string().trim().max(200).nullable().default(null),
  publishedOn: sourceDateSchema.nullable().default(null),
  retrievedOn: sourceDateSchema.nullable().default(null),
  columns: z.record(z.string().min(2), seriesKeySchema).optional(),
});

/**
 * Imports a BJS appendix table laid out as fiscal years in rows and counts in columns (as in
 * `htdca24at01.csv`): title lines, a heading row that starts with "Fiscal year", a row per
 * year, then notes. Counts may carry thousands separators and footnote marks; a cell BJS
 * leaves empty or marks as not available is skipped.
 */
export async function importBjsTable(
  db: Database,
  ctx: RequestContext,
  text: string,
  rawOptions: BjsTableOptions,
): Promise<StatisticsImportReport & { ignoredColumns: string[] }> {
  const checked = bjsOptionsSchema.safeParse(rawOptions);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw ValidationError.field(String(issue?.path[0] ?? 'options'), issue?.message ?? 'invalid');
  }
  const options = checked.data;
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw ValidationError.field('file', `is not CSV: ${(error as Error).message}`);
  }
  const headingIndex = rows.findIndex((r) => /^fiscal year/i.test(r[0] ?? ''));
  const heading = rows[headingIndex];
  if (!heading)
    throw ValidationError.field('file', 'has no heading row starting with "Fiscal year"');
  const mapping = options.columns ?? bjsColumns;
  const columnSeries = heading.map((title) => {
    const word = Object.keys(mapping).find((w) => title.toLowerCase().includes(w.toLowerCase()));
    return word ? mapping[word] : undefined;
  });
  const ignoredColumns = heading.slice(1).filter((_, i) => !columnSeries[i + 1]);
  if (!columnSeries.some(Boolean)) {
    throw ValidationError.field(
      'columns',
      `no heading names a known count (${Object.keys(mapping).join(', ')})`,
    );
  }
  const parsed: ParsedRow[] = [];
  const invalid: { row: number; errors: { field: string; message: string }[] }[] = [];
  for (let index = headingIndex + 1; index < rows.length; index++) {
    const cells = rows[index] ?? [];
    const year = /^(\d{4})\b/.exec(cells[0] ?? '')?.[1];
    if (!year) break; // the notes under the table
    const period = parsePeriod(`FY${year}`);
    if (!period || Number(year) < 1900 || !periodHasEnded(period)) {
      invalid.push({
        row: index + 1,
        errors: [
          {
            field: heading[0] ?? 'Fiscal year',
            message: Number(year) < 1900 ? 'must be from 1900 on' : `FY${year} has not ended yet`,
          },
        ],
      });
      continue;
    }
    cells.forEach((cell, column) => {
      const seriesKey = columnSeries[column];
      if (!seriesKey || column === 0) return;
      if (/^(|\/|--?|…|\.\.\.|n\/?a|~)$/i.test(cell)) return;
      const value = readCount(cell);
      if (value === undefined) {
        invalid.push({
          row: index + 1,
          errors: [{ field: heading[column] ?? `column ${column + 1}`, message: 'is not a count' }],
        });
        return;
      }
      parsed.push({
        row: index + 1,
        observation: {
          seriesKey,
          period: `FY${year}`,
          value,
          sourceOrganisation: options.sourceOrganisation,
          publication: options.publication,
          url: options.url,
          sourceTable: options.sourceTable,
          publishedOn: options.publishedOn,
          retrievedOn: options.retrievedOn,
          notes: '',
          verified: true,
        },
      });
    });
  }
  assertImportable(invalid, { skipInvalid: false });
  for (const key of new Set(parsed.map((p) => p.observation.seriesKey))) {
    if (!(await findSeries(db, key))) {
      throw ValidationError.field(
        'columns',
        `feed the series ${key}, which Milepost does not hold`,
      );
    }
  }
  return { ...(await applyRows(db, ctx, 'bjs', rows.length, parsed)), ignoredColumns };
}

/**
 * Applies checked rows: a series new to Milepost is added; a figure equal to the latest for
 * its period is left alone; a different one is added, superseding the latest.
 */
async function applyRows(
  db: Database,
  ctx: RequestContext,
  format: StatisticsImportReport['format'],
  rowCount: number,
  rows: ParsedRow[],
): Promise<StatisticsImportReport> {
  const report = { format, rows: rowCount, seriesAdded: 0, added: 0, revised: 0, unchanged: 0 };
  await inTransaction(db, async (tx) => {
    for (const { row, series, observation } of rows) {
      if (series && !(await findSeries(tx, series.key))) {
        await storeSeries(tx, ctx, series);
        report.seriesAdded += 1;
      }
      if (!(await findSeries(tx, observation.seriesKey))) {
        throw ValidationError.field(
          `row ${row}: series_key`,
          'is a series Milepost does not hold: give its subject, geography and unit',
        );
      }
      const latest = await lockLatestObservation(tx, observation.seriesKey, observation.period);
      if (latest && latest.value === observation.value) {
        report.unchanged += 1;
        continue;
      }
      await storeObservationAfter(tx, ctx, { ...observation, id: randomUUID() }, latest);
      if (latest) report.revised += 1;
      else report.added += 1;
    }
  });
  return report;
}
