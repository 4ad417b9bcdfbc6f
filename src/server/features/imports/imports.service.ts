import { randomUUID } from 'node:crypto';
import type { Database } from '#db/client.ts';
import type { inspections } from '#db/schema.ts';
import { inTransaction } from '#db/transaction.ts';
import type { ImportReport } from '#shared/contracts/imports.ts';
import type { RequestContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { fingerprint } from '../../records/idempotency.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { recordChange } from '../audit/audit.service.ts';
import { type PlaceCandidate, upsertImportedPlace } from '../places/places.service.ts';
import {
  agencyInitiatives,
  agencyUserIds,
  existingInspectionIds,
  insertInspectionRows,
  inspectionsByReportNumber,
} from './imports.repository.ts';
import { type InspectionCandidate, readInspectionCsv } from './inspection-files.ts';
import { type ParsedRow, readOsmGeoJson, readPlaceCsv } from './place-files.ts';

export interface ImportOptions {
  skipInvalid: boolean;
  /** Called now and then with the rows done so far (a progress bar on a terminal). */
  onProgress?: (done: number, total: number) => void;
}

/** How many invalid rows an error answer lists before it says "and N more". */
const listedInvalidRows = 50;

/** Refuses the whole file when any row is invalid, unless the caller chose to skip them. */
export function assertImportable(invalid: ImportReport['invalid'], options: ImportOptions): void {
  if (invalid.length === 0 || options.skipInvalid) return;
  const errors = invalid
    .slice(0, listedInvalidRows)
    .flatMap(({ row, errors }) =>
      errors.map((e) => ({ field: `row ${row}: ${e.field}`, message: e.message })),
    );
  const more =
    invalid.length > listedInvalidRows
      ? ` (and ${invalid.length - listedInvalidRows} more rows)`
      : '';
  throw new ValidationError(
    errors,
    `${invalid.length} row${invalid.length === 1 ? '' : 's'} could not be read${more}: rows ${invalid
      .slice(0, listedInvalidRows)
      .map((r) => r.row)
      .join(', ')}. Nothing was imported; fix them, or import with skipInvalid to leave them out.`,
  );
}

/**
 * Imports places from Milepost's CSV or an OpenStreetMap GeoJSON export. Every row is read and
 * checked first; then all are applied in one transaction, each matched against the agency's
 * places so that importing the same file twice adds nothing.
 */
export async function importPlaces(
  db: Database,
  ctx: RequestContext,
  file:
    | { format: 'csv'; input: NodeJS.ReadableStream | string }
    | { format: 'geojson'; document: unknown },
  options: ImportOptions,
): Promise<ImportReport> {
  const rows: ParsedRow<PlaceCandidate>[] = [];
  if (file.format === 'csv') for await (const row of readPlaceCsv(file.input)) rows.push(row);
  else for (const row of readOsmGeoJson(file.document)) rows.push(row);
  const invalid = rows.flatMap((r) => ('errors' in r ? [{ row: r.row, errors: r.errors }] : []));
  assertImportable(invalid, options);
  const valid = rows.flatMap((r) => ('value' in r ? [r.value] : []));
  const report: ImportReport = {
    kind: 'places',
    format: file.format,
    rows: rows.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    matched: 0,
    invalid,
    ignoredColumns: [],
  };
  await inTransaction(db, async (tx) => {
    for (const [index, candidate] of valid.entries()) {
      report[await upsertImportedPlace(tx, ctx, candidate)] += 1;
      if (index % 100 === 0) options.onProgress?.(index, valid.length);
    }
    await recordChange(tx, ctx, {
      action: 'places.imported',
      entityType: 'import',
      agencyId: ctx.actor.agencyId,
      after: { ...report, invalid: invalid.length },
    });
  });
  options.onProgress?.(valid.length, valid.length);
  return report;
}

/** Rows validated and written per statement. */
const inspectionBatchSize = 1000;

/**
 * Imports inspections from Milepost's CSV or a state inspection file (FMCSA columns). The file
 * streams through in batches inside one transaction, so memory stays flat however long it is;
 * an invalid row rolls the whole import back unless the caller chose to skip invalid rows.
 * State rows join Milepost's own inspections by report number: a match adds nothing, so the
 * summary can tell what share of all inspections included outreach.
 */
export async function importInspections(
  db: Database,
  ctx: RequestContext,
  input: NodeJS.ReadableStream | string,
  options: ImportOptions,
): Promise<ImportReport> {
  const agencyId = ctx.actor.agencyId;
  const agency = await findAgency(db, agencyId);
  if (!agency) throw ValidationError.field('agency', 'does not exist');
  const file = await readInspectionCsv(input, agency.timeZone);
  const report: ImportReport = {
    kind: 'inspections',
    format: file.format,
    rows: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    matched: 0,
    invalid: [],
    ignoredColumns: file.ignoredColumns,
  };
  let invalidCount = 0;
  await inTransaction(db, async (tx) => {
    const officers = await agencyUserIds(tx, agencyId);
    const initiativeOf = initiativeResolver(await agencyInitiatives(tx, agencyId));
    const seenReports = new Set<string>();
    let batch: { row: number; value: InspectionCandidate }[] = [];

    const flush = async () => {
      const candidates = batch;
      batch = [];
      const existingIds = await existingInspectionIds(
        tx,
        candidates.flatMap((c) => (c.value.id ? [c.value.id] : [])),
      );
      const reportNumbers = candidates.flatMap((c) =>
        c.value.source === 'state_import' && c.value.reportNumber ? [c.value.reportNumber] : [],
      );
      const known = await inspectionsByReportNumber(tx, agencyId, reportNumbers);
      const rows: (typeof inspections.$inferInsert)[] = [];
      for (const { value } of candidates) {
        if (value.id && existingIds.has(value.id)) {
          report.unchanged += 1;
          continue;
        }
        if (value.source === 'state_import' && value.reportNumber) {
          const existing = known.get(value.reportNumber);
          if (existing === 'milepost') {
            report.matched += 1;
            continue;
          }
          if (existing === 'state_import' || seenReports.has(value.reportNumber)) {
            report.unchanged += 1;
            continue;
          }
          seenReports.add(value.reportNumber);
        }
        const { id, officerId, ...fields } = value;
        rows.push({
          ...fields,
          id: id ?? randomUUID(),
          agencyId,
          officerId: value.source === 'state_import' ? null : (officerId ?? ctx.actor.userId),
          initiativeId: initiativeOf(value.localDate),
          createdBy: ctx.actor.userId,
          requestHash: fingerprint({ ...fields, occurredAt: fields.occurredAt.toISOString() }),
        });
      }
      await insertInspectionRows(tx, rows);
      report.added += rows.length;
      options.onProgress?.(report.rows, 0);
    };

    for await (const parsed of file.rows) {
      report.rows += 1;
      if ('errors' in parsed) {
        invalidCount += 1;
        if (report.invalid.length < 1000)
          report.invalid.push({ row: parsed.row, errors: parsed.errors });
        continue;
      }
      if (parsed.value.officerId && !officers.has(parsed.value.officerId)) {
        invalidCount += 1;
        if (report.invalid.length < 1000) {
          report.invalid.push({
            row: parsed.row,
            errors: [{ field: 'officer_id', message: 'is not a user of this agency' }],
          });
        }
        continue;
      }
      batch.push(parsed);
      if (batch.length >= inspectionBatchSize) await flush();
    }
    await flush();
    // Throwing here rolls back every batch already written: all or nothing.
    assertImportable(report.invalid, options);
    await recordChange(tx, ctx, {
      action: 'inspections.imported',
      entityType: 'import',
      agencyId,
      after: { ...report, invalid: invalidCount },
    });
  });
  return report;
}

/** The open initiative whose dates hold a local date (the latest-starting one), as in records. */
function initiativeResolver(
  list: { id: string; startsOn: string; endsOn: string; closedAt: Date | null }[],
) {
  const open = list.filter((i) => !i.closedAt).sort((a, b) => (a.startsOn < b.startsOn ? 1 : -1));
  return (date: string) => open.find((i) => i.startsOn <= date && date <= i.endsOn)?.id ?? null;
}
