import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  actionCodes,
  inspectionLevelCodes,
  redFlagCodes,
  vehicleTypeCodes,
} from '#shared/catalogues/field.ts';
import type { FieldError } from '#shared/contracts/problem.ts';
import { readCsvRecords, storableString } from './file-input.ts';
import type { ParsedRow } from './place-files.ts';

/** An inspection read from a file, ready to be matched and stored. */
export interface InspectionCandidate {
  id: string | null;
  occurredAt: Date;
  localDate: string;
  level: (typeof inspectionLevelCodes)[number];
  usdotNumber: string | null;
  reportNumber: string | null;
  reportState: string | null;
  vehicleType: (typeof vehicleTypeCodes)[number] | null;
  lat: number | null;
  lon: number | null;
  outreachGiven: boolean;
  redFlags: string[];
  action: (typeof actionCodes)[number];
  notes: string;
  officerId: string | null;
  source: 'milepost' | 'state_import';
}

export type InspectionFileFormat = 'milepost' | 'fmcsa';

const blankToNull = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? null : value;
const optionalText = (max: number) =>
  z.preprocess(blankToNull, storableString().trim().max(max).nullable().default(null));

/**
 * The earliest inspection a file may hold. Earlier dates are typing errors (year 0000, 0202 for
 * 2020), and PostgreSQL takes no year 0.
 */
const earliestInspection = Date.UTC(1970, 0, 1);
/** How far ahead of the server's clock an inspection may be (a device's clock drifts). */
const maxClockAheadMs = 5 * 60_000;

/** Why an inspection at this instant cannot be imported, if it cannot. */
function implausibleTime(instant: number): string | null {
  if (instant < earliestInspection) return 'must be in 1970 or later';
  if (instant > Date.now() + maxClockAheadMs) return 'must not be in the future';
  return null;
}
const optionalNumber = (min: number, max: number) =>
  z.preprocess(blankToNull, z.coerce.number().min(min).max(max).nullable().default(null));

/** Milepost's own CSV of inspections: the columns of its export (material lines are not read). */
const milepostRowSchema = z
  .object({
    id: z.preprocess(blankToNull, z.uuid().nullable().default(null)),
    occurred_at: z.iso.datetime({ offset: true }),
    level: z.enum(inspectionLevelCodes),
    usdot_number: z.preprocess(
      blankToNull,
      z
        .string()
        .regex(/^\d{1,8}$/, 'must be 1 to 8 digits')
        .nullable()
        .default(null),
    ),
    report_number: optionalText(40),
    report_state: z.preprocess(
      blankToNull,
      z
        .string()
        .regex(/^[A-Z]{2}$/)
        .nullable()
        .default(null),
    ),
    vehicle_type: z.preprocess(blankToNull, z.enum(vehicleTypeCodes).nullable().default(null)),
    lat: optionalNumber(-90, 90),
    lon: optionalNumber(-180, 180),
    outreach_given: z.preprocess(
      blankToNull,
      z.enum(['true', 'false', 'yes', 'no', '1', '0']).nullable().default('true'),
    ),
    red_flags: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(';').map((f) => f.trim()) : []),
      z.array(z.enum(redFlagCodes)),
    ),
    action: z.preprocess(blankToNull, z.enum(actionCodes).nullable().default('none')),
    notes: z.preprocess(blankToNull, storableString().max(5000).nullable().default('')),
    officer_id: z.preprocess(blankToNull, z.uuid().nullable().default(null)),
  })
  .refine((r) => (r.lat === null) === (r.lon === null), {
    path: ['lon'],
    message: 'give both lat and lon, or neither',
  });

/** The columns of a state inspection file (FMCSA MCMIS layout) that Milepost reads. */
const fmcsaRowSchema = z.object({
  report_number: storableString().trim().min(1).max(40),
  report_state: z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/)
      .nullable()
      .default(null),
  ),
  dot_number: z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .regex(/^\d{1,8}$/, 'must be 1 to 8 digits')
      .nullable()
      .default(null),
  ),
  insp_date: z
    .string()
    .trim()
    .regex(/^\d{8}$/, 'must be YYYYMMDD'),
  insp_start_time: z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .regex(/^(?:[01]?\d|2[0-3])[0-5]\d$/, 'must be HHMM, from 0000 to 2359')
      .nullable()
      .default(null),
  ),
  insp_level_id: z.coerce.number().int().min(1, 'must be 1 to 8').max(8, 'must be 1 to 8'),
  unit_type_desc: optionalText(100),
});

const milepostColumns = Object.keys(milepostRowSchema.shape ?? {});
const fmcsaColumns = Object.keys(fmcsaRowSchema.shape);
/** Columns the export writes for people, which the import does not need. */
const exportOnlyColumns = [
  'local_date',
  'officer',
  'place',
  'materials',
  'source',
  'initiative_id',
  'place_id',
  'version',
  'deleted_at',
  'deleted_reason',
];

const romanLevels = inspectionLevelCodes;

function vehicleTypeFrom(description: string | null): InspectionCandidate['vehicleType'] {
  if (!description) return null;
  const d = description.toLowerCase();
  if (d.includes('tractor')) return 'truck_tractor';
  if (d.includes('straight')) return 'straight_truck';
  if (d.includes('motorcoach')) return 'motorcoach';
  if (d.includes('bus')) return 'bus';
  if (d.includes('van')) return 'van';
  if (d.includes('pickup')) return 'pickup';
  return 'other';
}

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: String(i.path[0] ?? 'row'), message: i.message }));
}

export interface InspectionFileRead {
  format: InspectionFileFormat;
  ignoredColumns: string[];
  rows: AsyncGenerator<ParsedRow<InspectionCandidate>>;
}

/**
 * Reads an inspection CSV: Milepost's own (its export's columns), or a state file with FMCSA
 * columns such as Report_Number, Report_State, DOT_Number, Insp_Date, Insp_level_ID, matched
 * case-insensitively. Columns neither reads are reported once and ignored.
 */
export async function readInspectionCsv(
  input: NodeJS.ReadableStream | string,
  timeZone: string,
): Promise<InspectionFileRead> {
  let header: string[] = [];
  const iterator = readCsvRecords(input, (names) => {
    header = names.map((h) => h.trim().toLowerCase());
    return header;
  });
  const first = await iterator.next();
  const format: InspectionFileFormat =
    header.includes('insp_date') || header.includes('insp_level_id') ? 'fmcsa' : 'milepost';
  const known = new Set(
    format === 'fmcsa' ? fmcsaColumns : [...milepostColumns, ...exportOnlyColumns],
  );
  // Named in the report, a few at most: a header of a million columns is no list to read.
  const unknown = header.filter((h) => !known.has(h));
  const ignoredColumns = unknown.slice(0, 50).map((h) => h.slice(0, 100));
  if (unknown.length > 50) ignoredColumns.push(`(and ${unknown.length - 50} more)`);

  const wallClock = wallClockReader(timeZone);
  async function* rows(): AsyncGenerator<ParsedRow<InspectionCandidate>> {
    let row = 1;
    let next = first;
    while (!next.done) {
      row += 1;
      yield format === 'fmcsa'
        ? readFmcsa(row, next.value, wallClock)
        : readMilepost(row, next.value, timeZone);
      next = await iterator.next();
    }
  }
  return { format, ignoredColumns, rows: rows() };
}

function readMilepost(
  row: number,
  record: unknown,
  timeZone: string,
): ParsedRow<InspectionCandidate> {
  const parsed = milepostRowSchema.safeParse(record);
  if (!parsed.success) return { row, errors: fieldErrors(parsed.error) };
  const r = parsed.data;
  const occurredAt = new Date(r.occurred_at);
  const implausible = implausibleTime(occurredAt.getTime());
  if (implausible) return { row, errors: [{ field: 'occurred_at', message: implausible }] };
  return {
    row,
    value: {
      id: r.id,
      occurredAt,
      localDate: DateTime.fromJSDate(occurredAt, { zone: timeZone }).toISODate() ?? '',
      level: r.level,
      usdotNumber: r.usdot_number,
      reportNumber: r.report_number,
      reportState: r.report_state,
      vehicleType: r.vehicle_type,
      lat: r.lat,
      lon: r.lon,
      outreachGiven: ['true', 'yes', '1'].includes(r.outreach_given ?? 'true'),
      redFlags: [...new Set(r.red_flags)],
      action: r.action ?? 'none',
      notes: r.notes ?? '',
      officerId: r.officer_id,
      source: 'milepost',
    },
  };
}

/**
 * The instant and local date of a wall-clock time in a time zone, remembered: a state file
 * repeats the same minutes many times over, and asking Intl for a zone's offset is the slowest
 * step of reading a row.
 */
function wallClockReader(timeZone: string) {
  const seen = new Map<string, { instant: number; localDate: string } | null>();
  return (date: string, time: string) => {
    const key = `${date}${time}`;
    let known = seen.get(key);
    if (known === undefined) {
      const local = DateTime.fromObject(
        {
          year: Number(date.slice(0, 4)),
          month: Number(date.slice(4, 6)),
          day: Number(date.slice(6, 8)),
          hour: Number(time.slice(0, 2)),
          minute: Number(time.slice(2, 4)),
        },
        { zone: timeZone },
      );
      known = local.isValid
        ? { instant: local.toMillis(), localDate: local.toISODate() ?? '' }
        : null;
      if (seen.size >= 100_000) seen.clear();
      seen.set(key, known);
    }
    return known;
  };
}

function readFmcsa(
  row: number,
  record: unknown,
  wallClock: ReturnType<typeof wallClockReader>,
): ParsedRow<InspectionCandidate> {
  const parsed = fmcsaRowSchema.safeParse(record);
  if (!parsed.success) return { row, errors: fieldErrors(parsed.error) };
  const r = parsed.data;
  const local = wallClock(r.insp_date, (r.insp_start_time ?? '0000').padStart(4, '0'));
  if (!local)
    return { row, errors: [{ field: 'insp_date', message: 'is not a date and time that exists' }] };
  const implausible = implausibleTime(local.instant);
  if (implausible) return { row, errors: [{ field: 'insp_date', message: implausible }] };
  return {
    row,
    value: {
      id: null,
      occurredAt: new Date(local.instant),
      localDate: local.localDate,
      level: romanLevels[r.insp_level_id - 1] ?? 'I',
      usdotNumber: r.dot_number,
      reportNumber: r.report_number,
      reportState: r.report_state,
      vehicleType: vehicleTypeFrom(r.unit_type_desc),
      lat: null,
      lon: null,
      outreachGiven: false,
      redFlags: [],
      action: 'none',
      notes: '',
      officerId: null,
      source: 'state_import',
    },
  };
}
