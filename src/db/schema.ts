import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  actionCodes,
  inspectionLevelCodes,
  materialKindCodes,
  placeKindCodes,
  stockMovementTypes,
  vehicleTypeCodes,
} from '#shared/catalogues/field.ts';
import { agencyKinds, countries } from '#shared/contracts/agencies.ts';
import { submissionStatuses } from '#shared/contracts/coordination.ts';
import {
  referralRecipients,
  tipOutcomes,
  tipSources,
  tipStatuses,
} from '#shared/contracts/tips.ts';
import { roles } from '#shared/roles.ts';
import { periodKinds } from '#shared/statistics.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

function inList(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}

export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: agencyKinds }).notNull().default('enforcement'),
    country: text('country', { enum: countries }).notNull(),
    region: text('region'),
    timeZone: text('time_zone').notNull(),
    ori: text('ori'),
    /** Numbers the agency shows the public (its own line, a state hotline), each verified on a date. */
    hotlines: jsonb('hotlines')
      .$type<{ label: string; number: string; verifiedOn: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** An officer holding fewer than this of a material is told to restock. */
    stockLowThreshold: integer('stock_low_threshold').notNull().default(10),
    /** Whether a hand-out beyond the officer's stock draws on the store (else: a shortfall). */
    stockDrawOnStore: boolean('stock_draw_on_store').notNull().default(true),
    /** Days a closed tip is kept before it is purged. */
    tipRetentionDays: integer('tip_retention_days').notNull().default(365),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('agencies_slug_key').on(t.slug),
    check('agencies_stock_low_threshold_check', sql`${t.stockLowThreshold} >= 0`),
    check('agencies_tip_retention_days_check', sql`${t.tipRetentionDays} between 1 and 3650`),
    check('agencies_kind_check', inList('kind', agencyKinds)),
    check('agencies_country_check', inList('country', countries)),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** Stored lowercased; the unique index makes e-mail addresses case-insensitive. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: roles }).notNull(),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_agency_idx').on(t.agencyId, t.id),
    check('users_role_check', inList('role', roles)),
  ],
);

/** What failed sign-ins are counted against (decision 0019): see signInThrottleKinds. */
export const signInThrottleKinds = ['pair', 'account', 'address'] as const;

/**
 * Failed sign-ins (and wrong current passwords), counted per e-mail address and client (`pair`:
 * a browser that signed in before, else an address), per e-mail address over clients that never
 * signed in (`account`), and per address (`address`). Keys are keyed hashes: the table holds no
 * e-mail address and no client address. Unknown and known e-mail addresses are counted alike.
 */
export const signInThrottles = pgTable(
  'sign_in_throttles',
  {
    key: text('key').primaryKey(),
    kind: text('kind', { enum: signInThrottleKinds }).notNull(),
    failures: integer('failures').notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
    /** Attempts are refused until then: a lock (`pair`) or a pause (`account`, `address`). */
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  },
  (t) => [
    index('sign_in_throttles_last_failure_idx').on(t.lastFailureAt),
    check('sign_in_throttles_kind_check', inList('kind', signInThrottleKinds)),
  ],
);

/**
 * The counters of rate limits (`@fastify/rate-limit`): hits of a key in its current window. In
 * the database, so that every Milepost process behind a load balancer counts the same; keys are
 * hashes, so no client address is kept.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetsAt: timestamp('resets_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_resets_idx').on(t.resetsAt)],
);

/**
 * Sign-in sessions, kept in the database so that any Milepost process behind a load balancer
 * can serve any request. The id is the SHA-256 of the cookie's token: a copy of this table
 * cannot be replayed as cookies.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Append-only record of every change a person makes, and of sign-in events. A trigger
 * (migration 0001) refuses UPDATE, DELETE and TRUNCATE on both engines.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    agencyId: uuid('agency_id').references(() => agencies.id),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_agency_idx').on(t.agencyId, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.id),
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.id),
  ],
);

// Field operations ------------------------------------------------------------------------------
//
// Records that officers create carry the id their device generated, so that a retry or a replay
// after offline work finds the record it already made. `request_hash` is the hash of the create
// payload: the same id with other content is a conflict, not a silent overwrite. Edits name the
// `version` they change. Deletes are soft, with a reason.

const version = () => integer('version').notNull().default(1);
const requestHash = () => text('request_hash').notNull();
const deletedAt = () => timestamp('deleted_at', { withTimezone: true });
const deletedReason = () => text('deleted_reason');

export const initiatives = pgTable(
  'initiatives',
  {
    id: uuid('id').primaryKey(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Local dates in the agency's time zone, both inclusive. */
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    /** Goal per metric key, such as {"wallet_cards": 500}. */
    goals: jsonb('goals').$type<Record<string, number>>().notNull().default({}),
    /** The supervisor's account for the after-action report, written during or after it. */
    reportNarrative: text('report_narrative').notNull().default(''),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => users.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    requestHash: requestHash(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
    deletedReason: deletedReason(),
  },
  (t) => [
    index('initiatives_agency_dates_idx').on(t.agencyId, t.startsOn, t.endsOn),
    check('initiatives_dates_check', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

export const places = pgTable(
  'places',
  {
    id: uuid('id').primaryKey(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    kind: text('kind', { enum: placeKindCodes }).notNull(),
    name: text('name').notNull(),
    /** Lowercase letters and digits of the name, for matching duplicates. */
    normalizedName: text('normalized_name').notNull(),
    brand: text('brand'),
    operator: text('operator'),
    address: text('address'),
    highway: text('highway'),
    exit: text('exit'),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    /** OpenStreetMap element, such as `node/123` or `way/456`, when imported from OSM. */
    osmId: text('osm_id'),
    /** Where the place came from and the licence it carries (OSM data is ODbL). */
    source: text('source', { enum: ['manual', 'csv', 'osm'] })
      .notNull()
      .default('manual'),
    attribution: text('attribution'),
    requestHash: requestHash(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
    deletedReason: deletedReason(),
  },
  (t) => [
    // A bounding box on latitude narrows a nearest-places search before distances are computed.
    index('places_agency_lat_idx').on(t.agencyId, t.lat),
    uniqueIndex('places_agency_osm_key').on(t.agencyId, t.osmId).where(sql`${t.osmId} is not null`),
    index('places_agency_name_idx').on(t.agencyId, t.normalizedName),
    check('places_kind_check', inList('kind', placeKindCodes)),
    check(
      'places_position_check',
      sql`${t.lat} between -90 and 90 and ${t.lon} between -180 and 180`,
    ),
  ],
);

export const initiativePlaces = pgTable(
  'initiative_places',
  {
    initiativeId: uuid('initiative_id')
      .notNull()
      .references(() => initiatives.id),
    placeId: uuid('place_id')
      .notNull()
      .references(() => places.id),
  },
  (t) => [primaryKey({ columns: [t.initiativeId, t.placeId] })],
);

export const materials = pgTable(
  'materials',
  {
    id: uuid('id').primaryKey(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    kind: text('kind', { enum: materialKindCodes }).notNull(),
    name: text('name').notNull(),
    /** BCP 47 language tag of the material's text, such as `en` or `es`. */
    language: text('language').notNull(),
    provider: text('provider').notNull(),
    code: text('code'),
    requestHash: requestHash(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
    deletedReason: deletedReason(),
  },
  (t) => [
    index('materials_agency_idx').on(t.agencyId),
    check('materials_kind_check', inList('kind', materialKindCodes)),
  ],
);

/** A movement of stock that a person asked for: a delivery, an issue, a return, a write-off. */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: uuid('id').primaryKey(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id),
    type: text('type', { enum: ['received', 'issued', 'returned', 'written_off'] }).notNull(),
    quantity: integer('quantity').notNull(),
    /** The officer stock is issued to, returned by, or written off from (none: the store). */
    officerId: uuid('officer_id').references(() => users.id),
    note: text('note'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    requestHash: requestHash(),
    createdAt: createdAt(),
  },
  (t) => [
    index('stock_movements_agency_idx').on(t.agencyId, t.createdAt),
    check('stock_movements_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/**
 * The stock ledger: every change of stock on hand, per material and holder (an officer, or the
 * agency's store when `holder_id` is null). On hand is the sum of `delta`; entries are only ever
 * added, a correction being an entry of the opposite sign.
 */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id),
    holderId: uuid('holder_id').references(() => users.id),
    delta: integer('delta').notNull(),
    type: text('type', { enum: [...stockMovementTypes, 'reversal'] }).notNull(),
    movementId: uuid('movement_id').references(() => stockMovements.id),
    /** The inspection or outreach visit whose material this entry hands out. */
    recordId: uuid('record_id').references(() => fieldRecords.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stock_ledger_holding_idx').on(t.agencyId, t.materialId, t.holderId),
    index('stock_ledger_record_idx').on(t.recordId),
  ],
);

/**
 * Stock on hand per material and holder (null: the store), kept in step with the ledger in the
 * same transaction as each entry: a check reads one row instead of summing the ledger, and the
 * row lock serialises concurrent movements of one holding. A test holds it equal to the ledger.
 */
export const stockBalances = pgTable(
  'stock_balances',
  {
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id),
    holderId: uuid('holder_id').references(() => users.id),
    onHand: integer('on_hand').notNull(),
  },
  (t) => [
    unique('stock_balances_holding_key').on(t.materialId, t.holderId).nullsNotDistinct(),
    index('stock_balances_agency_idx').on(t.agencyId),
    check('stock_balances_not_negative', sql`${t.onHand} >= 0`),
  ],
);

/**
 * Material handed out beyond what the officer and the store held. The record is accepted (an
 * officer at the roadside is never blocked); the shortfall waits here for a supervisor.
 */
export const stockShortfalls = pgTable(
  'stock_shortfalls',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id),
    officerId: uuid('officer_id').references(() => users.id),
    recordId: uuid('record_id')
      .notNull()
      .references(() => fieldRecords.id),
    quantity: integer('quantity').notNull(),
    createdAt: createdAt(),
    /** Set when the record's material was changed or the record deleted. */
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
  },
  (t) => [index('stock_shortfalls_agency_idx').on(t.agencyId, t.resolvedAt)],
);

/** The kinds of field record, as the registry of their ids and the audit log name them. */
export const fieldRecordKinds = ['inspection', 'outreach_visit', 'activity'] as const;
export type FieldRecordKind = (typeof fieldRecordKinds)[number];

/** A field record named whole: its id, the agency it belongs to, and its kind. */
export interface FieldRecordRef {
  id: string;
  agencyId: string;
  kind: FieldRecordKind;
}

/**
 * One id space for field records: every inspection, outreach visit and activity has its id here,
 * with the agency and the kind of record it belongs to. A new record's id is taken here first,
 * so an id that another agency or another kind of record holds is refused by the primary key
 * (a race between two agencies is decided by it), and each record table, the material lines,
 * the stock ledger and the shortfalls reference the id here: a record's lines and stock can
 * belong to no one else. Rows are never deleted (records are deleted softly).
 */
export const fieldRecords = pgTable(
  'field_records',
  {
    id: uuid('id').primaryKey(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    kind: text('kind', { enum: fieldRecordKinds }).notNull(),
  },
  (t) => [
    // What each record table's foreign key references: its id, in its agency, as its kind.
    unique('field_records_owner_key').on(t.id, t.agencyId, t.kind),
    check('field_records_kind_check', inList('kind', fieldRecordKinds)),
  ],
);

/** Columns every field record shares: who, when, where, which initiative. */
function fieldRecordColumns(kind: FieldRecordKind) {
  return {
    id: uuid('id').primaryKey(),
    /**
     * The kind of record, the same in every row of a table (a check holds it): part of the key
     * into `field_records`. NOTE: a default, not a generated column, so that adding it to a
     * table of a million records does not rewrite the table.
     */
    recordKind: text('record_kind', { enum: fieldRecordKinds }).notNull().default(kind),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    initiativeId: uuid('initiative_id').references(() => initiatives.id),
    /** Who did it; none for an inspection imported from the state's file. */
    officerId: uuid('officer_id').references(() => users.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The date of `occurred_at` in the agency's time zone, for counting by day. */
    localDate: date('local_date').notNull(),
    placeId: uuid('place_id').references(() => places.id),
    notes: text('notes').notNull().default(''),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    requestHash: requestHash(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
    deletedReason: deletedReason(),
  };
}

export const inspections = pgTable(
  'inspections',
  {
    ...fieldRecordColumns('inspection'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    level: text('level', { enum: inspectionLevelCodes }).notNull(),
    usdotNumber: text('usdot_number'),
    reportNumber: text('report_number'),
    reportState: text('report_state'),
    vehicleType: text('vehicle_type', { enum: vehicleTypeCodes }),
    outreachGiven: boolean('outreach_given').notNull(),
    redFlags: text('red_flags').array().notNull().default(sql`'{}'::text[]`),
    action: text('action', { enum: actionCodes }).notNull().default('none'),
    /** `milepost` for records logged here; `state_import` for the state's inspection file. */
    source: text('source', { enum: ['milepost', 'state_import'] })
      .notNull()
      .default('milepost'),
  },
  (t) => [
    check('inspections_record_kind_check', sql`${t.recordKind} = 'inspection'`),
    foreignKey({
      name: 'inspections_field_record_fk',
      columns: [t.id, t.agencyId, t.recordKind],
      foreignColumns: [fieldRecords.id, fieldRecords.agencyId, fieldRecords.kind],
    }),
    index('inspections_agency_date_idx').on(t.agencyId, t.localDate),
    index('inspections_initiative_idx').on(t.initiativeId, t.occurredAt, t.id),
    index('inspections_agency_time_idx').on(t.agencyId, t.occurredAt, t.id),
    index('inspections_officer_idx').on(t.officerId, t.occurredAt),
    index('inspections_report_idx').on(t.agencyId, t.reportNumber),
    check('inspections_level_check', inList('level', inspectionLevelCodes)),
    check('inspections_action_check', inList('action', actionCodes)),
    check(
      'inspections_position_check',
      sql`(${t.lat} is null) = (${t.lon} is null) and coalesce(${t.lat} between -90 and 90 and ${t.lon} between -180 and 180, true)`,
    ),
  ],
);

export const outreachVisits = pgTable(
  'outreach_visits',
  {
    ...fieldRecordColumns('outreach_visit'),
    reachedDrivers: integer('reached_drivers').notNull().default(0),
    reachedStaff: integer('reached_staff').notNull().default(0),
    reachedPublic: integer('reached_public').notNull().default(0),
    postersPutUp: integer('posters_put_up').notNull().default(0),
    managerEngaged: boolean('manager_engaged').notNull().default(false),
    followUpOn: date('follow_up_on'),
  },
  (t) => [
    check('outreach_visits_record_kind_check', sql`${t.recordKind} = 'outreach_visit'`),
    foreignKey({
      name: 'outreach_visits_field_record_fk',
      columns: [t.id, t.agencyId, t.recordKind],
      foreignColumns: [fieldRecords.id, fieldRecords.agencyId, fieldRecords.kind],
    }),
    index('outreach_visits_agency_date_idx').on(t.agencyId, t.localDate),
    index('outreach_visits_initiative_idx').on(t.initiativeId, t.occurredAt, t.id),
    index('outreach_visits_agency_time_idx').on(t.agencyId, t.occurredAt, t.id),
    index('outreach_visits_place_idx').on(t.placeId),
  ],
);

export const activities = pgTable(
  'activities',
  {
    ...fieldRecordColumns('activity'),
    /** A kind of the catalogue's or one of the agency's own metrics (agency_metrics). */
    kind: text('kind').notNull(),
    count: integer('count').notNull().default(1),
  },
  (t) => [
    check('activities_record_kind_check', sql`${t.recordKind} = 'activity'`),
    foreignKey({
      name: 'activities_field_record_fk',
      columns: [t.id, t.agencyId, t.recordKind],
      foreignColumns: [fieldRecords.id, fieldRecords.agencyId, fieldRecords.kind],
    }),
    index('activities_agency_date_idx').on(t.agencyId, t.localDate),
    index('activities_initiative_idx').on(t.initiativeId, t.occurredAt, t.id),
    index('activities_agency_time_idx').on(t.agencyId, t.occurredAt, t.id),
    check('activities_count_check', sql`${t.count} > 0`),
  ],
);

/** Material lines of an inspection or an outreach visit. */
export const recordMaterials = pgTable(
  'record_materials',
  {
    recordId: uuid('record_id')
      .notNull()
      .references(() => fieldRecords.id),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    // NOTE: the key's index also holds the quantity (INCLUDE, migration 0015, which Drizzle
    // cannot write), so that reading a record's lines never visits the table.
    primaryKey({ columns: [t.recordId, t.materialId] }),
    index('record_materials_material_idx').on(t.materialId),
    check('record_materials_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/**
 * Running counts of live field records by agency, initiative, local date, officer and place:
 * what a summary reads instead of scanning a million records. Derived data, kept by statement
 * triggers on the record tables (migration 0004) in the same transaction as each change, so it
 * is never behind; a test holds it equal to a count over the records themselves.
 */
export const recordTallies = pgTable(
  'record_tallies',
  {
    agencyId: uuid('agency_id').notNull(),
    initiativeId: uuid('initiative_id'),
    localDate: date('local_date').notNull(),
    officerId: uuid('officer_id'),
    placeId: uuid('place_id'),
    /**
     * `inspections` (detail: source), `inspections_with_outreach`, `red_flag_observations`,
     * `referrals`, `action` (detail: action), `red_flag` (detail: code), `outreach_visits`,
     * `people_reached`, `activity` (detail: kind), `material` (detail: material id).
     */
    metric: text('metric').notNull(),
    detail: text('detail').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('record_tallies_key')
      .on(t.agencyId, t.initiativeId, t.localDate, t.officerId, t.placeId, t.metric, t.detail)
      .nullsNotDistinct(),
    index('record_tallies_agency_date_idx').on(t.agencyId, t.localDate),
  ],
);

/**
 * Metrics an agency counts beyond the catalogue: kinds of activity of its own (a county fair
 * booth, a school visit), logged as activities and counted, and set as goals, like the rest.
 */
export const agencyMetrics = pgTable(
  'agency_metrics',
  {
    id: uuid('id').primaryKey(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    key: text('key').notNull(),
    label: text('label').notNull(),
    description: text('description').notNull().default(''),
    requestHash: requestHash(),
    createdAt: createdAt(),
  },
  (t) => [unique('agency_metrics_key').on(t.agencyId, t.key)],
);

/**
 * Published figures that reports and public pages quote: a series says what is counted, where,
 * and in what unit; its observations give a value for a period, each with where it came from.
 * Reference data shared by every agency.
 */
export const statisticSeries = pgTable(
  'statistic_series',
  {
    key: text('key').primaryKey(),
    subject: text('subject').notNull(),
    geography: text('geography').notNull(),
    unit: text('unit').notNull(),
    /** How a report says it, with `{value}` and `{period}`. */
    sentence: text('sentence').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [check('statistic_series_key_check', sql`${t.key} ~ '^[a-z0-9]+([._][a-z0-9]+)*$'`)],
);

/**
 * One published value of a series for a period. Figures get revised: a new value for a period
 * that has one supersedes it (the chain stays linear: one original per period, one revision
 * per observation), and the latest is the one quoted.
 */
export const statisticObservations = pgTable(
  'statistic_observations',
  {
    id: uuid('id').primaryKey(),
    seriesKey: text('series_key')
      .notNull()
      .references(() => statisticSeries.key),
    /** The canonical period label: `2021`, `FY2021`, `2007-12..2021-12`. */
    period: text('period').notNull(),
    periodKind: text('period_kind', { enum: periodKinds }).notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    value: doublePrecision('value').notNull(),
    sourceOrganisation: text('source_organisation').notNull(),
    publication: text('publication').notNull(),
    url: text('url'),
    sourceTable: text('source_table'),
    publishedOn: date('published_on', { mode: 'string' }),
    retrievedOn: date('retrieved_on', { mode: 'string' }),
    notes: text('notes').notNull().default(''),
    verified: boolean('verified').notNull().default(true),
    supersedes: uuid('supersedes').references((): AnyPgColumn => statisticObservations.id),
    requestHash: requestHash(),
    /** None for the reference pack Milepost ships. */
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('statistic_observations_series_idx').on(t.seriesKey, t.periodStart),
    uniqueIndex('statistic_observations_original_idx')
      .on(t.seriesKey, t.period)
      .where(sql`${t.supersedes} is null`),
    uniqueIndex('statistic_observations_revision_idx').on(t.supersedes),
    check('statistic_observations_period_check', inList('period_kind', periodKinds)),
    check('statistic_observations_dates_check', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

/**
 * An initiative a coordinating body (a state lead, a CVSA-like alliance) publishes: its week in
 * each country and the counts it asks of the agencies that join.
 */
export const coordinatorInitiatives = pgTable('coordinator_initiatives', {
  id: uuid('id').primaryKey(),
  /** The coordinator's agency, which publishes it and alone sees the results. */
  agencyId: uuid('agency_id')
    .notNull()
    .references(() => agencies.id),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** Local dates per country, both inclusive: [{ country, startsOn, endsOn }]. */
  windows: jsonb('windows')
    .$type<{ country: string; startsOn: string; endsOn: string }[]>()
    .notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  requestHash: requestHash(),
  createdAt: createdAt(),
});

/**
 * An agency's part in a coordinator initiative: joining makes a draft, prefilled from its
 * records; submitting locks it, until the coordinator asks for a revision.
 */
export const submissions = pgTable(
  'submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    coordinatorInitiativeId: uuid('coordinator_initiative_id')
      .notNull()
      .references(() => coordinatorInitiatives.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    status: text('status', { enum: submissionStatuses }).notNull().default('draft'),
    jurisdiction: text('jurisdiction').notNull(),
    personnel: integer('personnel').notNull().default(0),
    /** The counts submitted, by metric: wallet_cards, window_decals, posters, ... */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    narrative: text('narrative').notNull().default(''),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    /** How many times the coordinator asked for a revision. */
    revision: integer('revision').notNull().default(0),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('submissions_initiative_agency_idx').on(t.coordinatorInitiativeId, t.agencyId),
    check('submissions_status_check', inList('status', submissionStatuses)),
    check('submissions_personnel_check', sql`${t.personnel} >= 0`),
  ],
);

// Tips ------------------------------------------------------------------------------------------
//
// What the public sends from an agency's page, and the inspections an officer flagged (red flags,
// or an action taken), in one queue. What a tip says is sealed (AES-256-GCM, `src/server/
// secrets.ts`): the columns named `content` and `shared` hold ciphertext, never the text.

export const tips = pgTable(
  'tips',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    source: text('source', { enum: tipSources }).notNull(),
    /** What a sender follows up with; the secret is kept as its SHA-256 only. */
    receiptCode: text('receipt_code'),
    secretHash: text('secret_hash'),
    /** The inspection an officer flagged, for an entry of the inspection's. */
    inspectionId: uuid('inspection_id').references(() => inspections.id),
    status: text('status', { enum: tipStatuses }).notNull().default('new'),
    outcome: text('outcome', { enum: tipOutcomes }),
    assignedTo: uuid('assigned_to').references(() => users.id),
    /** The language the sender wrote in. */
    language: text('language').notNull().default('en'),
    redFlags: text('red_flags').array().notNull().default(sql`'{}'::text[]`),
    placeId: uuid('place_id').references(() => places.id),
    seenOn: date('seen_on'),
    seenTime: text('seen_time'),
    /** Sealed JSON: where, vehicles, people, what happened, contact (TipContent). */
    content: text('content'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: version(),
  },
  (t) => [
    uniqueIndex('tips_receipt_code_key').on(t.receiptCode),
    uniqueIndex('tips_inspection_key').on(t.inspectionId),
    index('tips_agency_queue_idx').on(t.agencyId, t.status, t.receivedAt),
    index('tips_closed_idx').on(t.closedAt),
    check('tips_source_check', inList('source', tipSources)),
    check('tips_status_check', inList('status', tipStatuses)),
    check('tips_outcome_check', sql`${t.outcome} is null or ${inList('outcome', tipOutcomes)}`),
    check('tips_closed_check', sql`(${t.status} = 'closed') = (${t.closedAt} is not null)`),
    check(
      'tips_origin_check',
      sql`(${t.source} = 'public') = (${t.receiptCode} is not null and ${t.secretHash} is not null)
        and (${t.source} = 'inspection') = (${t.inspectionId} is not null)`,
    ),
  ],
);

/** What a sender added later, from the follow-up page. Sealed. */
export const tipAdditions = pgTable(
  'tip_additions',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tip_additions_tip_idx').on(t.tipId)],
);

/** Internal notes of those who triage a tip. Sealed. */
export const tipNotes = pgTable(
  'tip_notes',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    content: text('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('tip_notes_tip_idx').on(t.tipId)],
);

/** A tip passed on: to whom, what was shared (sealed), when and by whom. */
export const tipReferrals = pgTable(
  'tip_referrals',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id, { onDelete: 'cascade' }),
    recipient: text('recipient', { enum: referralRecipients }).notNull(),
    recipientName: text('recipient_name').notNull(),
    shared: text('shared').notNull(),
    referredAt: timestamp('referred_at', { withTimezone: true }).notNull(),
    referredBy: uuid('referred_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('tip_referrals_tip_idx').on(t.tipId),
    check('tip_referrals_recipient_check', inList('recipient', referralRecipients)),
  ],
);
