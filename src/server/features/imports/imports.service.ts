import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database, Executor } from '#db/client.ts';
import { arrayLiteral, copyCsv, csvField, onOneConnection } from '#db/copy.ts';
import { inTransaction } from '#db/transaction.ts';
import type { ImportReport } from '#shared/contracts/imports.ts';
import { normalizePlaceName } from '#shared/places.ts';
import type { RequestContext } from '../../context.ts';
import { AppError, ConflictError, ValidationError } from '../../errors.ts';
import { fingerprint, idTakenMessage } from '../../records/idempotency.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { recordChange, recordChanges } from '../audit/audit.service.ts';
import { toPlace } from '../places/places.service.ts';
import {
  agencyUserIds,
  analyzeTable,
  applyStagedInspections,
  createInspectionStaging,
  deleteStagedRows,
  dropInspectionStaging,
  findPlacesByIds,
  findPlacesToMatch,
  insertImportedPlaces,
  lockAgencyImports,
  stagedRowRange,
  stagedRowsOfOthersIds,
  updateImportedPlaces,
} from './imports.repository.ts';
import { type InspectionCandidate, readInspectionCsv } from './inspection-files.ts';
import { type ParsedRow, readOsmGeoJson, readPlaceCsv } from './place-files.ts';
import {
  duplicateRadiusKm,
  type PlaceCandidate,
  type PlaceOutcome,
  planPlaceImport,
} from './place-matching.ts';

export interface ImportOptions {
  skipInvalid: boolean;
  /** Called now and then with the rows done so far (a progress bar on a terminal). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Rows written per transaction, instead of as many as fit in about 100 ms; tests make it
   * small to cross batches with a few rows.
   */
  batchRows?: number;
}

/** How many invalid rows an error answer lists before it says "and N more". */
const listedInvalidRows = 50;
/** How many invalid rows a report of skipped rows lists. */
const reportedInvalidRows = 1000;

/**
 * Refuses the whole file when any row is invalid, unless the caller chose to skip them.
 * `invalidCount` is how many rows were invalid, when `invalid` keeps only the first of them.
 */
export function assertImportable(
  invalid: ImportReport['invalid'],
  options: ImportOptions,
  invalidCount = invalid.length,
): void {
  if (invalidCount === 0 || options.skipInvalid) return;
  const listed = invalid.slice(0, listedInvalidRows);
  const errors = listed.flatMap(({ row, errors }) =>
    errors.map((e) => ({ field: `row ${row}: ${e.field}`, message: e.message })),
  );
  throw new ValidationError(
    errors,
    `${invalidCount} row${invalidCount === 1 ? '' : 's'} could not be read: ` +
      `${rowList(
        listed.map((r) => r.row),
        invalidCount,
      )}. ` +
      'Nothing was imported; fix them, or import with skipInvalid to leave them out.',
  );
}

/** "rows 2, 3, 4" or, when only the first of them are listed, "rows 2, 3, 4 and 97 more". */
function rowList(listed: number[], total: number): string {
  const more = total > listed.length ? ` and ${total - listed.length} more` : '';
  return `row${total === 1 ? '' : 's'} ${listed.join(', ')}${more}`;
}

/**
 * How long one transaction of an import should take. PGlite runs one at a time, so a request
 * that arrives meanwhile waits about this long for each of its queries.
 */
const batchTargetMs = 100;

/**
 * How many rows the next transaction takes: fewer (half) after one that took longer than
 * `batchTargetMs`, more (half as many again) after one that took less than half of it, between
 * 50 and 2,000. Batches stay short on a busy machine and grow on an idle one.
 */
function batchSizer(fixed?: number) {
  let rows = fixed ?? 200;
  return {
    get rows() {
      return rows;
    },
    took(ms: number) {
      if (fixed !== undefined) return;
      if (ms > batchTargetMs) rows = Math.max(50, Math.floor(rows / 2));
      else if (ms < batchTargetMs / 2) rows = Math.min(2000, Math.ceil(rows * 1.5));
    },
  };
}

/**
 * Analyses a table each time the import has doubled the rows it had added at the last analysis
 * (the first at 1,000): statistics of a table the import grows from nothing are never more than
 * half out of date, and a table already large, which the import barely changes, is analysed a
 * few times at most.
 */
function statisticsKeeper(analyze: () => Promise<void>) {
  let added = 0;
  let nextAt = 1000;
  return {
    async added(rows: number) {
      added += rows;
      if (added < nextAt) return;
      await analyze();
      nextAt = added * 2;
    },
  };
}

/**
 * Runs `work` and says how long it took, in milliseconds: called inside a transaction, how long
 * the transaction held the database (on PGlite, how long everyone else waited).
 */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** Lets whatever else waits for the event loop or the database go first. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads every row of a places file, letting other work run now and then. */
async function readPlaceFile(
  file:
    | { format: 'csv'; input: NodeJS.ReadableStream | string }
    | { format: 'geojson'; document: unknown },
): Promise<ParsedRow<PlaceCandidate>[]> {
  const rows: ParsedRow<PlaceCandidate>[] = [];
  const source = file.format === 'csv' ? readPlaceCsv(file.input) : readOsmGeoJson(file.document);
  for await (const row of source) {
    rows.push(row);
    if (rows.length % 250 === 0) await yieldToOthers();
  }
  return rows;
}

/**
 * Matches a batch of rows with the agency's places and writes what they change, each place
 * with its audit entry, in the transaction `tx`.
 */
async function importPlaceBatch(
  tx: Executor,
  ctx: RequestContext,
  batch: PlaceCandidate[],
): Promise<PlaceOutcome[]> {
  const agencyId = ctx.actor.agencyId;
  await lockAgencyImports(tx, 'places', agencyId);
  const keys = batch.map((c) => ({
    osmId: c.osmId ?? null,
    normalizedName: normalizePlaceName(c.name),
    lat: c.lat,
    lon: c.lon,
  }));
  const stored = await findPlacesToMatch(tx, agencyId, keys, duplicateRadiusKm);
  const plan = planPlaceImport(stored, batch, randomUUID);
  await insertImportedPlaces(
    tx,
    agencyId,
    plan.inserts.map(({ id, ...fields }) => ({ id, ...fields, requestHash: fingerprint(fields) })),
  );
  await updateImportedPlaces(
    tx,
    plan.updates.map((u) => u.after),
  );
  const before = new Map(plan.updates.map((u) => [u.before.id, toPlace(u.before)]));
  const written = await findPlacesByIds(tx, [
    ...plan.inserts.map((p) => p.id),
    ...plan.updates.map((u) => u.after.id),
  ]);
  await recordChanges(
    tx,
    ctx,
    written.map((row) => ({
      action: 'place.imported',
      entityType: 'place',
      entityId: row.id,
      agencyId,
      before: before.get(row.id) ?? null,
      after: toPlace(row),
    })),
  );
  return plan.outcomes;
}

/**
 * Imports places from Milepost's CSV or an OpenStreetMap GeoJSON export. Every row is read and
 * checked first: an invalid one refuses the whole file, and nothing is written, unless the
 * caller chose to skip invalid rows. Then the rows are matched with the agency's places and
 * written in batches of short transactions (decision 0017), so that other requests go on
 * meanwhile: a reader sees the places arrive batch by batch. Importing the same file twice adds
 * nothing, which is also how an import that stopped half-way is finished.
 */
export async function importPlaces(
  db: Database,
  ctx: RequestContext,
  file:
    | { format: 'csv'; input: NodeJS.ReadableStream | string }
    | { format: 'geojson'; document: unknown },
  options: ImportOptions,
): Promise<ImportReport> {
  const rows = await readPlaceFile(file);
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
    invalid: invalid.slice(0, reportedInvalidRows),
    ignoredColumns: [],
  };
  const size = batchSizer(options.batchRows);
  await analyzeTable(db, 'places');
  const statistics = statisticsKeeper(() => analyzeTable(db, 'places'));
  for (let done = 0; done < valid.length; ) {
    const batch = valid.slice(done, done + size.rows);
    const { result: outcomes, ms } = await inTransaction(db, (tx) =>
      timed(() => importPlaceBatch(tx, ctx, batch)),
    );
    size.took(ms);
    done += batch.length;
    for (const outcome of outcomes) report[outcome] += 1;
    options.onProgress?.(done, valid.length);
    await yieldToOthers();
    await statistics.added(outcomes.filter((o) => o === 'added').length);
  }
  await inTransaction(db, (tx) =>
    recordChange(tx, ctx, {
      action: 'places.imported',
      entityType: 'import',
      agencyId: ctx.actor.agencyId,
      after: { ...report, invalid: invalid.length },
    }),
  );
  if (valid.length === 0) options.onProgress?.(0, 0);
  return report;
}

/** Checked rows copied to the staging table per chunk (per statement, on PGlite). */
const stagedChunkRows = 1000;
/** Staged rows whose ids are checked per statement (reads only). */
const checkedIdRows = 2000;

/**
 * The id of a row that names none: derived from the agency, the row's number and what it says,
 * so that importing the same file again (to finish one that stopped half-way, say) finds the
 * rows it already added instead of adding them twice. An RFC 9562 version 8 UUID.
 */
function derivedInspectionId(agencyId: string, row: number, lineHash: string): string {
  const hex = createHash('sha256').update(`${agencyId}:${row}:${lineHash}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What a row is told whose id another create took while the import was writing its batch. */
const idLostMessage = 'was taken by another record during the import';

/**
 * The refusal of an import whose rows name ids that other records hold (another agency's, or
 * another kind's): a conflict naming each row's `id`, found before any row is written, after
 * which nothing is imported.
 */
function idsTakenError(rows: number[]): ConflictError {
  const listed = rows.slice(0, listedInvalidRows);
  return new ConflictError(
    `${rows.length} row${rows.length === 1 ? '' : 's'} name an id that a different record holds: ` +
      `${rowList(listed, rows.length)}. Nothing was imported; give them new ids, leave the id blank, ` +
      'or import with skipInvalid to leave them out.',
    listed.map((row) => ({ field: `row ${row}: id`, message: idTakenMessage })),
  );
}

/**
 * One staged CSV line of a checked row, in the order of stagedInspectionColumns. Its request
 * hash is that of the line itself: an imported row was never a create request to replay. A
 * row of Milepost's CSV without an id gets one derived from it; a state row is known by its
 * report number instead.
 */
function stagedLine(
  agencyId: string,
  row: number,
  value: InspectionCandidate,
  officerId: string | null,
): string {
  const fields = [
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
  const hash = createHash('sha256')
    .update(`${value.id ?? ''},${fields}`)
    .digest('hex');
  const id =
    value.id ?? (value.source === 'milepost' ? derivedInspectionId(agencyId, row, hash) : null);
  return `${row},${csvField(id)},${fields},import:${hash}\n`;
}

/**
 * Inspection imports this process runs at once. Each holds a connection of the server's pool
 * for its whole length (its staging table lives there), however slowly its file arrives: a
 * few slow uploads must not take every connection from everyone else.
 */
const maxStagedImports = 2;
let stagedImportsRunning = 0;

class TooManyImportsError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';

  constructor() {
    super(
      `${maxStagedImports} inspection imports are running already. Nothing was imported; send the file again when one has finished.`,
    );
    this.headers['retry-after'] = '60';
  }
}

/**
 * Imports inspections from Milepost's CSV or a state inspection file (FMCSA columns), in three
 * steps, none of which holds the database for long (decision 0017):
 *
 * 1. Each row is checked as the file streams in, and the good ones are copied (COPY) into a
 *    staging table of the import's session, chunk by chunk: memory stays flat however long the
 *    file is. An invalid row refuses the whole file, and nothing is added, unless the caller
 *    chose to skip invalid rows.
 * 2. Rows whose id is another record's are refused the same way.
 * 3. The staged rows are added in batches of short transactions. State rows join Milepost's own
 *    inspections by report number: a match adds nothing, so the summary can tell what share of
 *    all inspections included outreach.
 *
 * Every row has a stable identity (its id, its report number, or an id derived from it), so
 * importing the same file again adds nothing twice: that is how an import that stopped
 * half-way (a crash between batches) is finished.
 */
export async function importInspections(
  db: Database,
  ctx: RequestContext,
  input: NodeJS.ReadableStream | string,
  options: ImportOptions,
): Promise<ImportReport> {
  if (stagedImportsRunning >= maxStagedImports) throw new TooManyImportsError();
  stagedImportsRunning += 1;
  try {
    return await stageAndAddInspections(db, ctx, input, options);
  } finally {
    stagedImportsRunning -= 1;
  }
}

async function stageAndAddInspections(
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
    if (report.invalid.length < reportedInvalidRows) report.invalid.push({ row, errors });
  };
  return onOneConnection(db, async (session) => {
    const staging = await createInspectionStaging(
      session,
      `import_inspections_${randomBytes(8).toString('hex')}`,
    );
    try {
      const officers = await agencyUserIds(session, agencyId);
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
          chunk += stagedLine(agencyId, parsed.row, value, officerId);
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
      await copyCsv(session, staging.target, checkedChunks());
      assertImportable(report.invalid, options, invalidCount);
      await analyzeTable(session, staging.table);

      const range = await stagedRowRange(session, staging.table);
      const refusedIds: number[] = [];
      const checked = options.batchRows ?? checkedIdRows;
      for (let after = (range?.first ?? 1) - 1; range && after < range.last; after += checked) {
        const rows = await stagedRowsOfOthersIds(session, staging.table, {
          agencyId,
          after,
          upTo: after + checked,
        });
        refusedIds.push(...rows);
        await yieldToOthers();
      }
      if (refusedIds.length > 0) {
        if (!options.skipInvalid) throw idsTakenError(refusedIds);
        for (const row of refusedIds) refuse(row, [{ field: 'id', message: idTakenMessage }]);
        report.invalid.sort((a, b) => a.row - b.row);
        await deleteStagedRows(session, staging.table, refusedIds);
      }

      const size = batchSizer(options.batchRows);
      await analyzeTable(session, 'inspections');
      const statistics = statisticsKeeper(() => analyzeTable(session, 'inspections'));
      for (let after = (range?.first ?? 1) - 1; range && after < range.last; ) {
        const upTo = after + size.rows;
        const { result: outcome, ms } = await inTransaction(session, (tx) =>
          timed(async () => {
            await lockAgencyImports(tx, 'inspections', agencyId);
            return applyStagedInspections(tx, staging.table, {
              agencyId,
              actorId: ctx.actor.userId,
              after,
              upTo,
            });
          }),
        );
        size.took(ms);
        after = upTo;
        report.added += outcome.added;
        report.matched += outcome.matched;
        report.unchanged += outcome.unchanged;
        // Ids another create took since they were checked: those rows are not added, and the
        // report lists them (the batches before are written, so the import is not refused).
        for (const row of [...outcome.taken, ...outcome.lost].sort((a, b) => a - b))
          refuse(row, [{ field: 'id', message: idLostMessage }]);
        options.onProgress?.(Math.min(upTo, range.last), range.last);
        await yieldToOthers();
        await statistics.added(outcome.added);
      }
      await inTransaction(session, (tx) =>
        recordChange(tx, ctx, {
          action: 'inspections.imported',
          entityType: 'import',
          agencyId,
          after: { ...report, invalid: invalidCount },
        }),
      );
      options.onProgress?.(report.rows, report.rows);
      return report;
    } finally {
      await dropInspectionStaging(session, staging.table);
    }
  });
}
