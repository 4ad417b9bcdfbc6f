import type { Database } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import type { ImportReport } from '#shared/contracts/imports.ts';
import type { RequestContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { recordChange } from '../audit/audit.service.ts';
import { type PlaceCandidate, upsertImportedPlace } from '../places/places.service.ts';
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
