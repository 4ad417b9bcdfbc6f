import { createHash } from 'node:crypto';
import type { Database } from '#db/client.ts';
import { arrayLiteral, copyCsv, csvField } from '#db/copy.ts';
import { inTransaction } from '#db/transaction.ts';
import type { ImportReport } from '#shared/contracts/imports.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, ValidationError } from '../../errors.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { recordChange } from '../audit/audit.service.ts';
import { type PlaceCandidate, upsertImportedPlace } from '../places/places.service.ts';
import {
  agencyUserIds,
  applyStagedInspections,
  createInspectionStaging,
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

/** What a row whose id another record holds is told (as a record's create is). */
const idTakenMessage = 'is already used by a different record';

/**
 * The refusal of an import whose rows name ids that other records hold (another agency's, or
 * another kind's), or that another create took while the file was being imported: a conflict
 * naming each row's `id`, after which nothing is imported.
 */
function idsTakenError(rows: number[], during: boolean): ConflictError {
  const listed = rows.slice(0, listedInvalidRows);
  const more = rows.length > listed.length ? ` (and ${rows.length - listed.length} more rows)` : '';
  const what = `${rows.length} row${rows.length === 1 ? '' : 's'} name an id that ${
    during ? 'another record took while the file was being imported' : 'a different record holds'
  }${more}: rows ${listed.join(', ')}. Nothing was imported; `;
  return new ConflictError(
    what +
      (during
        ? 'import the file again.'
        : 'give them new ids, leave the id blank, or import with skipInvalid to leave them out.'),
    listed.map((row) => ({
      field: `row ${row}: id`,
      message: during ? 'was taken by another record during the import' : idTakenMessage,
    })),
  );
}

/** Checked rows copied to the staging table per chunk. */
const stagedChunkRows = 5000;

/**
 * One staged CSV line of a checked row, in the order of stagedInspectionColumns. Its request
 * hash is that of the line itself: an imported row was never a create request to replay.
 */
function stagedLine(row: number, value: InspectionCandidate, officerId: string | null): string {
  const fields = [
    value.id,
    value.occurredAt.toISOString(),
    value.localDate,
    value.level,
    value.usdotNumber,
    value.reportNumber,
    value.reportState,
    value.vehicleType,
    value.lat,
    value.lon,
    value.outreachGiven,
    arrayLiteral(value.redFlags),
    value.action,
    value.notes,
    officerId,
    value.source,
  ]
    .map(csvField)
    .join(',');
  const hash = createHash('sha256').update(fields).digest('hex');
  return `${row},${fields},import:${hash}\n`;
}

/**
 * Imports inspections from Milepost's CSV or a state inspection file (FMCSA columns). Each row
 * is checked as the file streams in, and the good ones are copied (COPY) into a staging table;
 * one statement then adds them, so memory stays flat however long the file is. It all happens
 * in one transaction: an invalid row rolls the whole import back unless the caller chose to skip
 * invalid rows. State rows join Milepost's own inspections by report number: a match adds
 * nothing, so the summary can tell what share of all inspections included outreach.
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
  const refuse = (row: number, errors: ImportReport['invalid'][number]['errors']) => {
    invalidCount += 1;
    if (report.invalid.length < 1000) report.invalid.push({ row, errors });
  };
  await inTransaction(db, async (tx) => {
    const officers = await agencyUserIds(tx, agencyId);
    const staging = await createInspectionStaging(tx);
    async function* checkedChunks() {
      let chunk = '';
      let lines = 0;
      for await (const parsed of file.rows) {
        report.rows += 1;
        if ('errors' in parsed) {
          refuse(parsed.row, parsed.errors);
          continue;
        }
        const { value } = parsed;
        if (value.officerId && !officers.has(value.officerId)) {
          refuse(parsed.row, [{ field: 'officer_id', message: 'is not a user of this agency' }]);
          continue;
        }
        // A state row keeps no officer; Milepost's own is the named officer's, or the importer's.
        const officerId =
          value.source === 'state_import' ? null : (value.officerId ?? ctx.actor.userId);
        chunk += stagedLine(parsed.row, value, officerId);
        lines += 1;
        if (lines === stagedChunkRows) {
          yield chunk;
          chunk = '';
          lines = 0;
          options.onProgress?.(report.rows, 0);
        }
      }
      if (lines > 0) yield chunk;
    }
    await copyCsv(tx, staging, checkedChunks());
    // Throwing here rolls back everything staged: all or nothing.
    assertImportable(report.invalid, options);
    const { taken, lost, ...outcome } = await applyStagedInspections(tx, {
      agencyId,
      actorId: ctx.actor.userId,
    });
    Object.assign(report, outcome);
    if (lost.length > 0) throw idsTakenError(lost, true);
    if (taken.length > 0 && !options.skipInvalid) throw idsTakenError(taken, false);
    for (const row of taken) refuse(row, [{ field: 'id', message: idTakenMessage }]);
    options.onProgress?.(report.rows, report.rows);
    await recordChange(tx, ctx, {
      action: 'inspections.imported',
      entityType: 'import',
      agencyId,
      after: { ...report, invalid: invalidCount },
    });
  });
  return report;
}
