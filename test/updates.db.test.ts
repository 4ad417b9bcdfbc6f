import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localDateOf } from '#shared/time.ts';
import {
  newAgency,
  newCoordinatorInitiative,
  newMaterial,
  newPlace,
  newSubmission,
  newTip,
  newUser,
} from './factories.ts';
import { changedTables, countRows } from './row-counts.ts';
import { pickValue } from './schema-values.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * Every PATCH and PUT of the route table, field by field: an edit that sends one field (and the
 * version it was read at) changes that field alone, and what the stock, the tallies and the tip
 * queue derive from the record follows only what that field feeds. A field sent as null clears
 * it alone. A route added without a subject here fails the first test, so none escapes the walk.
 */

type Json = Record<string, unknown>;
type Figure = 'stock' | 'tallies' | 'tipQueue';
type Actor = 'supervisor' | 'agencyAdmin';

interface Subject {
  /** Who makes the edits. */
  as: Actor;
  /**
   * Makes the record, every field away from its default; answers the URL of the edit and of the
   * record's reading (the same one if not given).
   */
  setUp(): Promise<{ url: string; readUrl?: string }>;
  /** Where a body field reads back, when the record gives it under another name. */
  readAs?: Record<string, string>;
  /**
   * Values chosen per field where one drawn from its schema would not do: an id of the agency, a
   * time on the same day. The rest are drawn from the field's schema.
   */
  values?: Record<string, (current: Json) => unknown>;
  /** The derived figures that follow a field; all others must not move when it changes. */
  feeds?: Record<string, Figure[]>;
  /** Fields that change with another by rule (reopening a tip clears how it ended). */
  alsoChanges?: Record<string, string[]>;
  /** Fields whose null is refused (400), and nothing changes. */
  nullRefused?: string[];
  /** Tables beside its own that hold parts of the record, which an edit of them rewrites. */
  partsIn?: Record<string, string>;
}

let t: TestApp;
const cookies = {} as Record<Actor, string>;
const f = {} as {
  agencyId: string;
  officerA: string;
  officerB: string;
  supervisorId: string;
  investigatorId: string;
  placeA: string;
  placeB: string;
  initiative1: string;
  initiative2: string;
  card: string;
  decal: string;
  /** A day of last week, in the agency's time zone, that both initiatives hold. */
  day: string;
};

async function call(as: Actor, method: string, url: string, payload?: unknown) {
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: { cookie: cookies[as] },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function ok(as: Actor, method: string, url: string, payload?: unknown): Promise<Json> {
  const response = await call(as, method, url, payload);
  expect([200, 201], `${method} ${url}: ${response.body}`).toContain(response.statusCode);
  return response.json();
}

const other = (current: unknown, a: string, b: string) => (current === a ? b : a);

const recordValues = {
  occurredAt: (r: Json) => new Date(Date.parse(String(r.occurredAt)) - 60_000).toISOString(),
  placeId: (r: Json) => other(r.placeId, f.placeA, f.placeB),
  officerId: (r: Json) => other(r.officerId, f.officerA, f.officerB),
  initiativeId: (r: Json) => other(r.initiativeId, f.initiative1, f.initiative2),
};
const materialValues = {
  materials: (r: Json) =>
    (r.materials as unknown[]).length === 1
      ? [
          { materialId: f.card, quantity: 2 },
          { materialId: f.decal, quantity: 1 },
        ].sort((a, b) => (a.materialId < b.materialId ? -1 : 1))
      : [{ materialId: f.card, quantity: 3 }],
};
const recordFeeds: Record<string, Figure[]> = {
  placeId: ['tallies'],
  officerId: ['tallies'],
  initiativeId: ['tallies'],
};

/** A field record logged through the API by a supervisor for officer A, every field set. */
function recordSubject(path: string, payload: () => Json, extra: Partial<Subject>): Subject {
  return {
    as: 'supervisor',
    async setUp() {
      const id = randomUUID();
      await ok('supervisor', 'POST', path, {
        id,
        occurredAt: `${f.day}T18:00:00.000Z`,
        placeId: f.placeA,
        officerId: f.officerA,
        initiativeId: f.initiative1,
        notes: 'Logged at the north lot; typo in the notse',
        ...payload(),
      });
      return { url: `${path}/${id}` };
    },
    ...extra,
    values: { ...recordValues, ...extra.values },
    feeds: { ...recordFeeds, ...extra.feeds },
    partsIn: { materials: 'record_materials' },
  };
}

const subjects: Record<string, Subject> = {
  'PATCH /api/inspections/:id': recordSubject(
    '/api/inspections',
    () => ({
      position: { lat: 39.0403, lon: -94.5786 },
      level: 'V',
      usdotNumber: '1234567',
      reportNumber: 'MO-2026-0042',
      reportState: 'MO',
      vehicleType: 'bus',
      outreachGiven: false,
      materials: [
        { materialId: f.card, quantity: 2 },
        { materialId: f.decal, quantity: 1 },
      ],
      redFlags: ['lot_drop_off', 'id_held_by_other'],
      action: 'referred_to_investigators',
    }),
    {
      values: materialValues,
      feeds: {
        placeId: ['tallies', 'tipQueue'],
        officerId: ['tallies', 'stock'],
        materials: ['tallies', 'stock'],
        outreachGiven: ['tallies'],
        redFlags: ['tallies', 'tipQueue'],
        action: ['tallies', 'tipQueue'],
      },
    },
  ),
  'PATCH /api/outreach-visits/:id': recordSubject(
    '/api/outreach-visits',
    () => ({
      reached: { drivers: 12, staff: 3, public: 5 },
      materials: [{ materialId: f.card, quantity: 4 }],
      postersPutUp: 2,
      managerEngaged: true,
      followUpOn: f.day,
    }),
    {
      values: materialValues,
      feeds: {
        officerId: ['tallies', 'stock'],
        materials: ['tallies', 'stock'],
        'reached.drivers': ['tallies'],
        'reached.staff': ['tallies'],
        'reached.public': ['tallies'],
      },
    },
  ),
  'PATCH /api/activities/:id': recordSubject(
    '/api/activities',
    () => ({ kind: 'presentations', count: 7 }),
    {
      values: { kind: (r) => other(r.kind, 'presentations', 'media_contacts') },
      feeds: { kind: ['tallies'], count: ['tallies'] },
    },
  ),
  'PATCH /api/agencies/:id': {
    as: 'agencyAdmin',
    async setUp() {
      // The agency of every other subject: its records and stock are what must not move.
      const url = `/api/agencies/${f.agencyId}`;
      await ok('agencyAdmin', 'PATCH', url, {
        ori: 'MOKPD0000',
        hotlines: [{ label: 'Squad line', number: '1-573-555-0100', verifiedOn: f.day }],
        stockPolicy: { lowThreshold: 25, drawOnStore: false },
        tipRetentionDays: 200,
      });
      return { url };
    },
    values: {
      timeZone: (a) => other(a.timeZone, 'America/Chicago', 'America/Denver'),
    },
  },
  'PATCH /api/users/:id': {
    as: 'agencyAdmin',
    async setUp() {
      const user = await newUser(t.database.db, f.agencyId, {
        role: 'analyst',
        displayName: 'Dana Reyes',
      });
      return { url: `/api/users/${user.id}` };
    },
    values: { role: (u) => other(u.role, 'analyst', 'officer') },
  },
  'PATCH /api/places/:id': {
    as: 'supervisor',
    async setUp() {
      const id = randomUUID();
      await ok('supervisor', 'POST', '/api/places', {
        id,
        kind: 'travel_plaza',
        name: 'Flying J Travel Center',
        position: { lat: 38.9517, lon: -92.3341 },
        address: '3301 I-70 Dr SE, Columbia, MO',
        brand: 'Flying J',
        operator: 'Pilot Company',
        highway: 'I-70',
        exit: '131',
      });
      return { url: `/api/places/${id}` };
    },
  },
  'PATCH /api/initiatives/:id': {
    as: 'supervisor',
    async setUp() {
      const id = randomUUID();
      await ok('supervisor', 'POST', '/api/initiatives', {
        id,
        name: 'Spring Awareness Week',
        description: 'Truck stops along I-70',
        startsOn: '2026-04-06',
        endsOn: '2026-04-12',
        goals: { inspections: 40, wallet_cards: 300 },
        targetPlaceIds: [f.placeA],
      });
      return { url: `/api/initiatives/${id}` };
    },
    partsIn: { targetPlaceIds: 'initiative_places' },
    values: {
      startsOn: (i) => shiftDate(String(i.startsOn), -1),
      endsOn: (i) => shiftDate(String(i.endsOn), 1),
      goals: (i) => ({
        ...(i.goals as Json),
        inspections: Number((i.goals as Json).inspections) + 1,
      }),
      targetPlaceIds: (i) =>
        (i.targetPlaceIds as string[]).length === 1 ? [f.placeA, f.placeB].sort() : [f.placeA],
    },
  },
  'PUT /api/initiatives/:id/report-narrative': {
    as: 'supervisor',
    async setUp() {
      const id = randomUUID();
      await ok('supervisor', 'POST', '/api/initiatives', {
        id,
        name: 'Winter Awareness Week',
        startsOn: '2026-01-05',
        endsOn: '2026-01-11',
      });
      const url = `/api/initiatives/${id}/report-narrative`;
      await ok('supervisor', 'PUT', url, { version: 1, narrative: 'Forty inspections.' });
      return { url, readUrl: `/api/initiatives/${id}` };
    },
    readAs: { narrative: 'reportNarrative' },
  },
  'PATCH /api/coordinator-initiatives/:id/submission': {
    as: 'supervisor',
    async setUp() {
      const body = await newAgency(t.database.db, { kind: 'coordinating_body' });
      const lead = await newUser(t.database.db, body.id, { role: 'coordinator' });
      const published = await newCoordinatorInitiative(t.database.db, body.id, lead.id);
      await newSubmission(t.database.db, published.id, f.agencyId);
      const url = `/api/coordinator-initiatives/${published.id}/submission`;
      await ok('supervisor', 'PATCH', url, {
        version: 1,
        jurisdiction: 'Missouri State Highway Patrol, Troop F',
        personnel: 14,
        counts: {
          wallet_cards: 310,
          window_decals: 45,
          posters: 12,
          outreach_events: 3,
          presentations: 2,
          media_contacts: 4,
          social_posts: 6,
        },
        narrative: 'Troop F visited every truck stop on I-70.',
      });
      return { url };
    },
  },
  'PATCH /api/tips/:id': {
    as: 'supervisor',
    async setUp() {
      const tip = await newTip(t.database.db, f.agencyId);
      const url = `/api/tips/${tip.id}`;
      await ok('supervisor', 'PATCH', url, {
        version: 1,
        status: 'closed',
        outcome: 'duplicate',
        assignedTo: f.investigatorId,
      });
      return { url };
    },
    values: { assignedTo: (tip) => other(tip.assignedTo, f.investigatorId, f.supervisorId) },
    // An open tip has not ended: reopening one clears how it ended.
    alsoChanges: { status: ['outcome', 'closedAt'], assignedTo: ['assignedToName'] },
    // A closed tip always says how it ended.
    nullRefused: ['outcome'],
  },
};

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** What the agency's records give rise to: stock on hand, the running tallies, the tip queue. */
async function figures(): Promise<Record<Figure, unknown>> {
  const stock = (await ok('supervisor', 'GET', '/api/stock')).items as Json[];
  const tallies = await t.database.db.execute(sql`
    select initiative_id, local_date::text, officer_id, place_id, metric, detail, value
    from record_tallies where agency_id = ${f.agencyId} and value <> 0
    order by metric, detail, local_date, officer_id, place_id, initiative_id`);
  const queue = await ok('supervisor', 'GET', '/api/tips?source=inspection&limit=200');
  return {
    stock: stock
      .map((h) => `${h.materialId}|${h.holderId}|${h.onHand}`)
      .sort()
      .join('\n'),
    tallies: tallies.rows,
    tipQueue: queue.items,
  };
}

/** The tables whose rows a figure is made of, which an edit that feeds it may add to. */
const tablesOf: Record<Figure, string[]> = {
  stock: ['stock_ledger', 'stock_balances', 'stock_shortfalls'],
  tallies: ['record_tallies'],
  tipQueue: ['tips'],
};

// --- paths into bodies and records -----------------------------------------------------------

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (
    inner instanceof z.ZodOptional ||
    inner instanceof z.ZodNullable ||
    inner instanceof z.ZodDefault
  ) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner;
}

const isOptional = (schema: z.ZodType) => schema.safeParse(undefined).success;

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) throw new Error('an update body must be an object');
  return inner.shape as Record<string, z.ZodType>;
}

/**
 * Every field an edit may send: each of the body's, and each of a nested object whose own fields
 * are all optional (a visit's `reached`, an agency's `stockPolicy`), which an edit may send alone.
 */
function fieldPaths(body: z.ZodType): string[][] {
  return Object.entries(shapeOf(body)).flatMap(([key, field]) => {
    if (key === 'version') return [];
    const inner = unwrap(field);
    if (inner instanceof z.ZodObject && Object.values(shapeOf(inner)).every(isOptional)) {
      return Object.keys(shapeOf(inner)).map((nested) => [key, nested]);
    }
    return [[key]];
  });
}

function schemaAt(body: z.ZodType, path: string[]): z.ZodType {
  return path.reduce<z.ZodType>((schema, key) => {
    const field = shapeOf(schema)[key];
    if (!field) throw new Error(`no field ${path.join('.')}`);
    return field;
  }, body);
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((at, key) => (at as Json | undefined)?.[key], value);
}

function nest(path: string[], value: unknown): Json {
  return path.reduceRight<Json>((inner, key) => ({ [key]: inner }), value as Json);
}

function withoutPaths(value: Json, paths: string[][]): Json {
  const copy = structuredClone(value);
  for (const path of paths) {
    const parent = valueAt(copy, path.slice(0, -1)) as Json | undefined;
    if (parent && typeof parent === 'object') delete parent[path.at(-1) as string];
  }
  return copy;
}

/** Every path to a value that is not a plain object: what a parse added shows up here. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) =>
    leafPaths(inner, prefix ? `${prefix}.${key}` : key),
  );
}

const bookkeeping = [['version'], ['updatedAt']];

/**
 * A walk of a route's fields makes some ten requests per field, one after another: on a machine
 * busy with the rest of the suite that takes longer than one test usually may.
 */
const walkTimeout = 240_000;

// --- the walk ---------------------------------------------------------------------------------

function updateRoutes() {
  return t.app.routeTable.filter((r) => r.method === 'PATCH' || r.method === 'PUT');
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const agency = await newAgency(db, { timeZone: 'America/Chicago', region: 'MO' });
  f.agencyId = agency.id;
  const supervisor = await newUser(db, agency.id, { role: 'supervisor' });
  const admin = await newUser(db, agency.id, { role: 'agency_admin' });
  const investigator = await newUser(db, agency.id, { role: 'investigator' });
  f.supervisorId = supervisor.id;
  f.investigatorId = investigator.id;
  f.officerA = (await newUser(db, agency.id, { role: 'officer' })).id;
  f.officerB = (await newUser(db, agency.id, { role: 'officer' })).id;
  cookies.supervisor = await t.signIn(supervisor.email);
  cookies.agencyAdmin = await t.signIn(admin.email);
  f.placeA = (await newPlace(db, agency.id)).id;
  f.placeB = (await newPlace(db, agency.id)).id;
  f.day = localDateOf(new Date(Date.now() - 7 * 86_400_000), 'America/Chicago');
  for (const key of ['initiative1', 'initiative2'] as const) {
    f[key] = randomUUID();
    await ok('supervisor', 'POST', '/api/initiatives', {
      id: f[key],
      name: `Initiative ${key}`,
      startsOn: shiftDate(f.day, -3),
      endsOn: shiftDate(f.day, 3),
    });
  }
  f.card = (await newMaterial(db, agency.id, { kind: 'wallet_card' })).id;
  f.decal = (await newMaterial(db, agency.id, { kind: 'window_decal', name: 'Decal' })).id;
  for (const materialId of [f.card, f.decal]) {
    const move = (payload: Json) =>
      ok('supervisor', 'POST', '/api/stock/movements', {
        id: randomUUID(),
        materialId,
        ...payload,
      });
    await move({ type: 'received', quantity: 2000 });
    for (const officerId of [f.officerA, f.officerB]) {
      await move({ type: 'issued', quantity: 500, officerId });
    }
  }
});
afterAll(() => t.close());

it('has a subject for every PATCH and PUT route', () => {
  const routes = updateRoutes().map((r) => `${r.method} ${r.url}`);
  expect(routes.sort()).toEqual(Object.keys(subjects).sort());
});

describe.each(Object.keys(subjects))('%s', (key) => {
  const subject = subjects[key] as Subject;
  let body: z.ZodType;
  let url: string;
  let readUrl: string;
  let hasVersion: boolean;

  const read = () => ok(subject.as, 'GET', readUrl);
  const readPath = (path: string[]) =>
    (subject.readAs?.[path.join('.')] ?? path.join('.')).split('.');
  const label = (path: string[]) => `${key} ${path.join('.')}`;

  /** The fields the body requires (its version, a PUT's value), as the record has them. */
  function requiredBody(record: Json): Json {
    return Object.fromEntries(
      Object.entries(shapeOf(body))
        .filter(([, field]) => !isOptional(field))
        .map(([name]) => [name, valueAt(record, readPath([name]))]),
    );
  }

  /** A value of the field other than the record's: chosen for the route, or drawn from its schema. */
  function valueFor(path: string[], record: Json): unknown {
    const chosen = subject.values?.[path.join('.')];
    if (chosen) return chosen(record);
    const schema = schemaAt(body, path);
    const current = valueAt(record, readPath(path));
    return pickValue(schema, label(path), (value) => {
      const parsed = schema.safeParse(value);
      return (
        value !== null &&
        parsed.success &&
        // As the field reads back: a value the schema would trim or reorder is not one to send.
        JSON.stringify(parsed.data) === JSON.stringify(value) &&
        JSON.stringify(value) !== JSON.stringify(current) &&
        body.safeParse({ ...requiredBody(record), ...nest(path, value) }).success
      );
    });
  }

  /**
   * Sends the field alone, and checks: the answer; that the field reads back as sent and every
   * other field as it was; that only the figures it feeds moved (and each of those did), and only
   * their tables and the audit log gained rows. Then sends the old value back, and checks that
   * the record and every figure are as they were.
   */
  async function checkEdit(path: string[], value: unknown): Promise<void> {
    const before = await read();
    const what = `${label(path)} = ${JSON.stringify(value)}`;
    const figuresBefore = await figures();
    const rowsBefore = await countRows(t.database.db);
    const response = await call(subject.as, key.split(' ')[0] as string, url, {
      ...requiredBody(before),
      ...nest(path, value),
    });
    const rowsAfter = await countRows(t.database.db);
    const figuresAfter = await figures();
    const after = await read();

    const refused = value === null && subject.nullRefused?.includes(path.join('.'));
    if (refused) {
      expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(
        path.join('.'),
      );
      expect(changedTables(rowsBefore, rowsAfter), what).toEqual([]);
      expect(after, what).toEqual(before);
      expect(figuresAfter, what).toEqual(figuresBefore);
      return;
    }
    expect(response.statusCode, `${what}: ${response.body}`).toBe(200);
    expect(valueAt(after, readPath(path)), what).toEqual(value);
    const also = (subject.alsoChanges?.[path.join('.')] ?? []).map((name) => name.split('.'));
    const untouched = [...bookkeeping, readPath(path), ...also];
    expect(withoutPaths(after, untouched), `${what}: every other field as it was`).toEqual(
      withoutPaths(before, untouched),
    );
    const fed = subject.feeds?.[path.join('.')] ?? [];
    for (const figure of Object.keys(figuresBefore) as Figure[]) {
      if (fed.includes(figure)) {
        expect(figuresAfter[figure], `${what}: moves the ${figure}`).not.toEqual(
          figuresBefore[figure],
        );
      } else {
        expect(figuresAfter[figure], `${what}: leaves the ${figure}`).toEqual(
          figuresBefore[figure],
        );
      }
    }
    const mayGrow = new Set([
      ...fed.flatMap((figure) => tablesOf[figure]),
      ...[subject.partsIn?.[path.join('.')]].filter((table) => table !== undefined),
    ]);
    const grown = changedTables(rowsBefore, rowsAfter).filter(
      (entry) => !mayGrow.has(entry.split(':')[0] as string),
    );
    expect(grown, `${what}: rows written`).toEqual([
      `audit_log: ${rowsBefore.audit_log} → ${(rowsBefore.audit_log ?? 0) + 1}`,
    ]);

    // And back: what it fed follows it back exactly.
    const topLevel = new Set(Object.keys(shapeOf(body)));
    const restored = await call(subject.as, key.split(' ')[0] as string, url, {
      ...requiredBody(after),
      ...nest(path, valueAt(before, readPath(path))),
      ...Object.fromEntries(
        also
          .filter((p) => p.length === 1 && topLevel.has(p[0] as string))
          .map((p) => [p[0], valueAt(before, p)]),
      ),
    });
    expect(restored.statusCode, `${what}, then back: ${restored.body}`).toBe(200);
    const untouchedBack = [...bookkeeping, ...also];
    expect(withoutPaths(await read(), untouchedBack), `${what}, then back`).toEqual(
      withoutPaths(before, untouchedBack),
    );
    expect(await figures(), `${what}, then back: every figure as it was`).toEqual(figuresBefore);
  }

  beforeAll(async () => {
    const route = updateRoutes().find((r) => `${r.method} ${r.url}` === key);
    if (!route) throw new Error(`no route ${key}`);
    body = route.schema.body as z.ZodType;
    const made = await subject.setUp();
    url = made.url;
    readUrl = made.readUrl ?? made.url;
    hasVersion = 'version' in shapeOf(body);
  });

  it('(a) parses a body of the required fields, alone or with one field more, into just that', async () => {
    const record = await read();
    const required = requiredBody(record);
    expect(Object.keys(required).sort()).toEqual(
      [...(hasVersion ? ['version'] : []), ...(key.startsWith('PUT') ? ['narrative'] : [])].sort(),
    );
    const alone = body.safeParse(required);
    if (alone.success)
      expect(leafPaths(alone.data).sort(), key).toEqual(leafPaths(required).sort());
    const paths = fieldPaths(body);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const sent = { ...required, ...nest(path, valueFor(path, record)) };
      const parsed = body.safeParse(sent);
      expect(parsed.error?.issues, label(path)).toBeUndefined();
      expect(leafPaths(parsed.data).sort(), `${label(path)}: adds nothing`).toEqual(
        leafPaths(sent).sort(),
      );
    }
  });

  it(
    '(b) changes each field alone; what derives from the record follows only that field',
    async () => {
      for (const path of fieldPaths(body)) await checkEdit(path, valueFor(path, await read()));
    },
    walkTimeout,
  );

  it(
    '(c) clears a field sent as null, and no other, where the field may be cleared',
    async () => {
      const nullable = fieldPaths(body).filter(
        (path) => schemaAt(body, path).safeParse(null).success,
      );
      for (const path of nullable) await checkEdit(path, null);
    },
    walkTimeout,
  );

  it('(d) changes nothing but the version when every field is sent as it already is', async () => {
    const before = await read();
    const everyField = requiredBody(before);
    for (const path of fieldPaths(body)) {
      const [head, nested] = path as [string, string?];
      const value = valueAt(before, readPath(path));
      if (nested === undefined) everyField[head] = value;
      else everyField[head] = { ...(everyField[head] as Json | undefined), [nested]: value };
    }
    const figuresBefore = await figures();
    const rowsBefore = await countRows(t.database.db);
    const response = await call(subject.as, key.split(' ')[0] as string, url, everyField);
    expect(response.statusCode, response.body).toBe(200);
    expect(changedTables(rowsBefore, await countRows(t.database.db)), key).toEqual([
      `audit_log: ${rowsBefore.audit_log} → ${(rowsBefore.audit_log ?? 0) + 1}`,
    ]);
    expect(await figures(), key).toEqual(figuresBefore);
    expect(withoutPaths(await read(), bookkeeping), key).toEqual(withoutPaths(before, bookkeeping));
  });
});

it('keeps a record’s day and tallies when the agency’s time zone changed since it was logged', async () => {
  const id = randomUUID();
  // Evening in Missouri, already the next morning in Auckland.
  await ok('supervisor', 'POST', '/api/inspections', {
    id,
    occurredAt: `${f.day}T23:30:00.000Z`,
    officerId: f.officerA,
    level: 'III',
    materials: [{ materialId: f.card, quantity: 1 }],
    redFlags: ['minor_offered'],
  });
  const agencyUrl = `/api/agencies/${f.agencyId}`;
  const { timeZone } = await ok('agencyAdmin', 'GET', agencyUrl);
  await ok('agencyAdmin', 'PATCH', agencyUrl, { timeZone: 'Pacific/Auckland' });
  const before = await ok('supervisor', 'GET', `/api/inspections/${id}`);
  const figuresBefore = await figures();
  const edited = await ok('supervisor', 'PATCH', `/api/inspections/${id}`, {
    version: before.version,
    notes: 'Fixed a typo',
  });
  expect(edited.localDate).toBe(f.day);
  expect(edited.initiativeId).toBe(before.initiativeId);
  expect(await figures()).toEqual(figuresBefore);
  // Moved in time, it takes its day in the agency's time zone of today.
  const moved = await ok('supervisor', 'PATCH', `/api/inspections/${id}`, {
    version: edited.version,
    occurredAt: `${f.day}T23:00:00.000Z`,
  });
  expect(moved.localDate).toBe(shiftDate(f.day, 1));
  await ok('agencyAdmin', 'PATCH', agencyUrl, { timeZone });
});

it('ignores what an edit may not change, and refuses ids of another agency, writing nothing', async () => {
  const db = t.database.db;
  const id = randomUUID();
  const logged = await ok('supervisor', 'POST', '/api/inspections', {
    id,
    occurredAt: `${f.day}T15:00:00.000Z`,
    officerId: f.officerA,
    level: 'II',
    materials: [
      { materialId: f.card, quantity: 1 },
      { materialId: f.decal, quantity: 2 },
    ],
  });
  const url = `/api/inspections/${id}`;
  const away = await newAgency(db);
  const awayOfficer = await newUser(db, away.id, { role: 'officer' });
  const awayPlace = await newPlace(db, away.id);
  const awayMaterial = await newMaterial(db, away.id);
  const figuresBefore = await figures();
  const rowsBefore = await countRows(db);
  for (const [field, value] of [
    ['placeId', awayPlace.id],
    ['officerId', awayOfficer.id],
    ['materials', [{ materialId: awayMaterial.id, quantity: 1 }]],
    ['initiativeId', randomUUID()],
  ] as const) {
    const response = await call('supervisor', 'PATCH', url, {
      version: logged.version,
      [field]: value,
    });
    expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field.split('.')[0])).toEqual([
      field,
    ]);
  }
  expect(changedTables(rowsBefore, await countRows(db))).toEqual([]);
  expect(await figures()).toEqual(figuresBefore);

  // Fields that are not an edit's to set are dropped; the same lines in another order are no change.
  const edited = await ok('supervisor', 'PATCH', url, {
    version: logged.version,
    id: randomUUID(),
    agencyId: away.id,
    source: 'state_import',
    localDate: '2020-01-01',
    materials: [...(logged.materials as unknown[])].reverse(),
  });
  expect(changedTables(rowsBefore, await countRows(db))).toEqual([
    `audit_log: ${rowsBefore.audit_log} → ${(rowsBefore.audit_log ?? 0) + 1}`,
  ]);
  expect(withoutPaths(edited, bookkeeping)).toEqual(withoutPaths(logged, bookkeeping));
  expect(await figures()).toEqual(figuresBefore);
});
