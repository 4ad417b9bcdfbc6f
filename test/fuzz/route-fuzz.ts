import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '#db/client.ts';
import { sessions } from '#db/schema.ts';
import { buildApp, type RouteAccess } from '#server/app.ts';
import type { Config } from '#server/config.ts';
import { sessionIdOf } from '#server/features/auth/auth.service.ts';
import { formToken } from '#server/features/public/public.service.ts';
import { loadReferencePack } from '#server/features/statistics/statistics.service.ts';
import { type Permission, type Role, roleHasPermission, roles } from '#shared/roles.ts';
import {
  newAgency,
  newCoordinatorInitiative,
  newInitiative,
  newMaterial,
  newPlace,
  newRecord,
  newShortfall,
  newSubmission,
  newTip,
  newUser,
  testPassword,
} from '../factories.ts';
import { testSecrets } from '../test-secrets.ts';
import {
  arbitraryOf,
  deepJson,
  hostileValues,
  type JsonSchema,
  jsonSchemaOf,
  type Mutation,
  mutate,
  mutationArbitrary,
  type Pools,
  propertyNamesIn,
} from './arbitraries.ts';
import {
  auditActionsSince,
  type TableState,
  tableState,
  transactionCounter,
  unexpectedChanges,
} from './writes.ts';

/**
 * The property-based fuzz of every route in `app.routeTable`: requests built from each route's
 * zod schemas (body, query string, path), with ids of the caller's agency and of another mixed
 * in so that cases reach the database, then changed in one place to a hostile value, or sent as
 * hostile text (duplicate keys, deep nesting, a form, a CSV, a wrong type). Each route is called
 * as a role that may call it. What must hold: never a 5xx; a refusal (4xx) of the API is
 * problem+json, a 400 names a field; and a refusal changes no row (`writes.ts`).
 */

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export interface FuzzFailure {
  request: FuzzRequest;
  status: number;
  problem: string;
  /** What the app logged of it (its logs hold no values: `serializeError`). */
  logged: string;
}

export interface RouteReport {
  route: string;
  cases: number;
  status: Record<string, number>;
  serverErrors: number;
  partialWrites: number;
  /** Other broken promises: a 4xx of the API that is not problem+json, a 400 naming no field. */
  malformedRefusals: number;
  /** 503 answers: a state of the server (the web app not built), not an answer to input. */
  unavailable: number;
  failures: FuzzFailure[];
  milliseconds: number;
}

interface Session {
  role: Role;
  userId: string;
  cookie: string;
}

export interface FuzzWorld {
  app: FastifyInstance;
  database: DatabaseHandle;
  pools: Pools;
  sessions: Map<Role, Session>;
  homeAgencyId: string;
  /** An inspection of the caller's agency, by its officer. */
  homeInspectionId: string;
  baseline: TableState;
  /** The transaction counter after the last case: the next case's "before". */
  counter: bigint;
  /** Roles whose session a case may have ended (it answered 401 or 403). */
  suspectSessions: Set<Role>;
  /** What the app logged at warn and above, by request id (the last 200 requests). */
  logged: Map<string, string>;
  close(): Promise<void>;
}

/** The configuration of a fuzz: limits that would otherwise stop cases before they reach a service. */
export function fuzzConfig(base: Config): Config {
  return {
    ...base,
    signInRateLimit: 1_000_000,
    tips: { ...base.tips, clientRateLimit: 1_000_000, agencyRateLimit: 1_000_000 },
  } as Config;
}

/** Two agencies with a record of every kind each, sessions of every role in the first. */
export async function prepareWorld(database: DatabaseHandle, config: Config): Promise<FuzzWorld> {
  // Errors the app logs, kept by request id: a failing case is reported with what it logged.
  const logged = new Map<string, string>();
  const stream = {
    write(line: string) {
      const entry = JSON.parse(line) as { reqId?: string; level?: number };
      if (entry.reqId && (entry.level ?? 0) >= 40) {
        if (logged.size > 200) logged.clear();
        logged.set(entry.reqId, line.slice(0, 1500));
      }
    },
  };
  const app = await buildApp({
    database,
    config: { ...fuzzConfig(config), logLevel: 'warn' },
    secrets: testSecrets,
    logger: { stream },
  });
  const { db } = database;
  await loadReferencePack(db);
  const uuids: string[] = [];
  const emails: string[] = [];
  const slugs: string[] = [];
  const receipts: string[] = [];
  const secrets: string[] = [];
  const shortfallIds: string[] = [];
  let homeAgencyId = '';
  let homeInspectionId = '';
  for (const side of ['home', 'away'] as const) {
    const agency = await newAgency(db);
    if (side === 'home') homeAgencyId = agency.id;
    slugs.push(agency.slug);
    const supervisor = await newUser(db, agency.id, { role: 'supervisor' });
    const officer = await newUser(db, agency.id, { role: 'officer' });
    emails.push(supervisor.email, officer.email);
    const initiative = await newInitiative(db, agency.id, supervisor.id);
    const place = await newPlace(db, agency.id);
    const material = await newMaterial(db, agency.id);
    const records = await Promise.all(
      (['inspection', 'outreach_visit', 'activity'] as const).map((kind) =>
        newRecord(db, kind, agency.id, officer.id),
      ),
    );
    if (side === 'home') homeInspectionId = records[0]?.id ?? '';
    const shortfall = await newShortfall(db, agency.id, officer.id);
    shortfallIds.push(String(shortfall.id));
    const coordinated = await newCoordinatorInitiative(db, agency.id, supervisor.id);
    await newSubmission(db, coordinated.id, agency.id, 'submitted');
    const tip = await newTip(db, agency.id);
    receipts.push(tip.receipt);
    secrets.push(tip.secret);
    uuids.push(
      agency.id,
      supervisor.id,
      officer.id,
      initiative.id,
      place.id,
      material.id,
      coordinated.id,
      tip.id,
      ...records.map((r) => r.id),
    );
  }
  const sessionsByRole = new Map<Role, Session>();
  for (const role of roles) {
    const session = await newSession(database, homeAgencyId, role);
    sessionsByRole.set(role, session);
    uuids.push(session.userId);
  }
  const seriesKeys = await db.execute<{ key: string }>(
    sql`select key from statistic_series limit 5`,
  );
  const fieldNames = new Set<string>([
    // The fields of the public tip form and of the files Milepost imports.
    ...['narrative', 'seenOn', 'seenTime', 'place', 'whereText', 'lat', 'lon', 'people'],
    ...['contact', 'contactSafe', 'redFlags', 'started', 'website', 'plate1', 'vehicle1'],
    ...['kind', 'name', 'address', 'brand', 'operator', 'highway', 'exit', 'series_key'],
    ...['period', 'value', 'source_organisation', 'publication', 'Report_Number', 'Insp_Date'],
  ]);
  for (const route of app.routeTable) {
    for (const schema of [route.schema.body, route.schema.querystring, route.schema.params]) {
      propertyNamesIn(jsonSchemaOf(schema), fieldNames);
    }
  }
  const pools: Pools = {
    uuids,
    fieldNames: [...fieldNames],
    byName: {
      email: emails,
      // Path ids: of every kind, the stock shortfalls' numbers among them.
      id: [...uuids, ...shortfallIds],
      slug: slugs,
      key: seriesKeys.rows.map((r) => r.key),
      seriesKey: seriesKeys.rows.map((r) => r.key),
      password: [testPassword],
      currentPassword: [testPassword],
      started: slugs.map((slug) => formToken(testSecrets, slug, Date.now() - 60_000)),
      receipt: receipts,
      secret: secrets,
    },
  };
  const counter = await transactionCounter(db);
  const baseline = await tableState(db, counter);
  return {
    counter,
    suspectSessions: new Set(),
    app,
    database,
    pools,
    sessions: sessionsByRole,
    homeAgencyId,
    homeInspectionId,
    baseline,
    logged,
    close: () => app.close(),
  };
}

/** A session made straight in the database: thousands of sign-ins would only measure argon2. */
async function newSession(
  database: DatabaseHandle,
  agencyId: string,
  role: Role,
): Promise<Session> {
  const user = await newUser(database.db, agencyId, { role });
  const token = randomBytes(32).toString('base64url');
  await database.db.insert(sessions).values({
    id: sessionIdOf(token),
    userId: user.id,
    expiresAt: new Date(Date.now() + 24 * 3_600_000),
  });
  return { role, userId: user.id, cookie: `milepost_session=${token}` };
}

/**
 * The session of `role`, made anew when a case ended it (a sign-out, a password change, the
 * caller's own account deactivated or given another role): checked after a 401 or a 403 only,
 * since a query per case would double the fuzz's time.
 */
async function sessionOf(world: FuzzWorld, role: Role): Promise<Session> {
  const session = world.sessions.get(role);
  if (session && !world.suspectSessions.has(role)) return session;
  world.suspectSessions.delete(role);
  if (session) {
    const token = session.cookie.split('=')[1] ?? '';
    const alive = await world.database.db.execute(
      sql`select 1 from sessions s join users u on u.id = s.user_id
        where s.id = ${sessionIdOf(token)} and u.active and u.role = ${role}`,
    );
    if (alive.rows.length > 0) return session;
  }
  const fresh = await newSession(world.database, world.homeAgencyId, role);
  world.sessions.set(role, fresh);
  // What the fuzz itself wrote is no case's.
  world.counter = await transactionCounter(world.database.db);
  world.baseline = await tableState(world.database.db, world.counter);
  return fresh;
}

export function routeKey(route: { method: string; url: string }): string {
  return `${route.method} ${route.url}`;
}

/** The roles that may call a route, for its access rule. */
export function rolesFor(access: string): (Role | null)[] {
  if (access === 'public') return [null, ...roles];
  if (access === 'signed-in') return [...roles];
  return roles.filter((role) => roleHasPermission(role, access as Permission));
}

/** Percent-encodes text, lone surrogates included (which encodeURIComponent refuses). */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((c) => (c.isWellFormed() ? encodeURIComponent(c) : '%ED%A0%80')).join('');
  }
}

function queryOf(values: unknown): string {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(`${encode(key)}=${encode(one)}`);
    }
  }
  return parts.join('&');
}

type BodyShape =
  | 'json'
  | 'form'
  | 'duplicate-key'
  | 'deep'
  | 'proto'
  | 'not-json'
  | 'empty'
  | 'text'
  | 'csv';

const hostileQueries = [
  'limit=1&limit=2',
  'a%00=b',
  '%ZZ=1',
  'cursor=%00',
  'from=0000-01-01',
  'x[y]=z',
];

/** Raw CSV rows with hostile cells, under headers of the files Milepost imports. */
const csvArbitrary = (pools: Pools) =>
  fc
    .tuple(
      fc.subarray(pools.fieldNames, { minLength: 1, maxLength: 8 }),
      fc.array(
        fc.array(
          fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...hostileValues.map(String))),
          { maxLength: 8 },
        ),
        { maxLength: 4 },
      ),
    )
    .map(([header, rows]) => [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));

/** The arbitrary of requests to one route, as `role`. */
export function requestArbitrary(
  world: FuzzWorld,
  route: RouteAccess,
): fc.Arbitrary<{ role: Role | null; request: FuzzRequest }> {
  const { pools } = world;
  const of = (schema: unknown) => {
    const json = jsonSchemaOf(schema);
    return json ? arbitraryOf(json, json, pools) : fc.constant(undefined);
  };
  const paramNames = [...route.url.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? '*');
  const params = route.schema.params
    ? of(route.schema.params)
    : fc.record(
        Object.fromEntries(
          paramNames.map((name) => [
            name,
            fc.oneof(
              fc.constantFrom(...pools.uuids),
              fc.string({ maxLength: 20 }),
              fc.constantFrom('index.html', '..%2F..%2Fpackage.json', ...hostileValues),
            ),
          ]),
        ),
      );
  const query = route.schema.querystring ? of(route.schema.querystring) : fc.constant({});
  const body = route.schema.body ? of(route.schema.body) : fc.constant(undefined);
  const writes = route.method !== 'GET' && route.method !== 'DELETE';
  const shapes: fc.Arbitrary<BodyShape> = route.schema.body
    ? fc.oneof(
        { weight: 12, arbitrary: fc.constant('json' as const) },
        { weight: 2, arbitrary: fc.constant('form' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<BodyShape>(
            'duplicate-key',
            'deep',
            'proto',
            'not-json',
            'empty',
            'text',
          ),
        },
      )
    : writes
      ? fc.constantFrom<BodyShape>('empty', 'csv', 'csv', 'json', 'deep', 'duplicate-key', 'text')
      : fc.constantFrom<BodyShape>('empty', 'empty', 'empty', 'json');
  return fc
    .record({
      role: fc.constantFrom(...rolesFor(route.access)),
      params,
      paramsMutation: mutationArbitrary(pools),
      query,
      queryMutation: mutationArbitrary(pools),
      rawQuery: fc.option(fc.constantFrom(...hostileQueries), { freq: 8 }),
      body,
      bodyMutation: mutationArbitrary(pools),
      shape: shapes,
      csv: csvArbitrary(pools),
      language: fc.option(fc.constantFrom('es', '\u0000', 'x'.repeat(500), '%ED%A0%80'), {
        freq: 6,
      }),
    })
    .map((drawn) => {
      const pathValues = (mutate(drawn.params, drawn.paramsMutation) ?? {}) as Record<
        string,
        unknown
      >;
      const path = route.url.replace(/:([A-Za-z]+)|\*/g, (_, name?: string) => {
        const value = pathValues[name ?? '*'];
        return encode(value === undefined ? '' : value);
      });
      const queryText = [queryOf(mutate(drawn.query, drawn.queryMutation)), drawn.rawQuery ?? '']
        .filter((part) => part !== '')
        .join('&');
      const headers: Record<string, string> = {};
      const payload = payloadOf(
        drawn.shape,
        mutate(drawn.body, drawn.bodyMutation),
        drawn.csv,
        headers,
      );
      const request: FuzzRequest = {
        method: route.method,
        url: queryText ? `${path}?${queryText}` : path,
        headers,
        ...(payload === undefined ? {} : { payload }),
      };
      if (drawn.language !== null) headers.cookie = `milepost_lang=${drawn.language}`;
      return { role: drawn.role, request };
    });
}

function payloadOf(
  shape: BodyShape,
  body: unknown,
  csv: string,
  headers: Record<string, string>,
): string | undefined {
  const json = (text: string) => {
    headers['content-type'] = 'application/json';
    return text;
  };
  switch (shape) {
    case 'json':
      return body === undefined ? json('{}') : json(JSON.stringify(body) ?? 'null');
    case 'form': {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return queryOf(body);
    }
    case 'duplicate-key': {
      const text = JSON.stringify(body ?? { a: 1 }) ?? '{}';
      const first = /^\{("(?:[^"\\]|\\.)*":)/.exec(text);
      return json(first ? `{${first[1]}"again",${text.slice(1)}` : '{"a":1,"a":2}');
    }
    case 'deep':
      return json(`{"a":${deepJson(5000)}}`);
    case 'proto':
      return json('{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}');
    case 'not-json':
      return json('{"a":');
    case 'empty':
      return undefined;
    case 'text': {
      headers['content-type'] = 'text/plain';
      return 'plain\u0000text';
    }
    case 'csv': {
      headers['content-type'] = 'text/csv';
      return csv;
    }
  }
}

/** Sends one request as `role` and judges the answer, and what it wrote. */
export async function runCase(
  world: FuzzWorld,
  role: Role | null,
  request: FuzzRequest,
  report: RouteReport,
): Promise<void> {
  const { db } = world.database;
  const headers = { ...request.headers };
  if (role) {
    const session = await sessionOf(world, role);
    headers.cookie = [session.cookie, headers.cookie].filter(Boolean).join('; ');
  }
  // Nothing ran since the last case's count; on a server, others' work only costs a count.
  const before = world.counter;
  let status: number;
  let contentType = '';
  let body = '';
  let requestId = '';
  try {
    const response = await world.app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    status = response.statusCode;
    contentType = String(response.headers['content-type'] ?? '');
    body = response.body;
    requestId = String(response.headers['x-request-id'] ?? '');
  } catch (error) {
    // A destroyed response: a download that failed half-way, which no case should cause.
    status = 599;
    body = String(error);
  }
  report.cases++;
  if (role && (status === 401 || status === 403)) world.suspectSessions.add(role);
  report.status[String(status)] = (report.status[String(status)] ?? 0) + 1;
  const fail = (problem: string) => {
    if (report.failures.length < 5) {
      report.failures.push({
        request: { ...request, payload: request.payload?.slice(0, 2000) },
        status,
        problem: `${problem}: ${body.slice(0, 400)}`,
        logged: world.logged.get(requestId) ?? '',
      });
    }
  };
  if (status === 503) {
    // Unavailable, by design: the web app not built, a full disk. A state, not a fault of input.
    report.unavailable++;
  } else if (status >= 500) {
    report.serverErrors++;
    fail('a 5xx');
  } else if (status >= 400 && request.url.startsWith('/api/')) {
    const isProblem = contentType.startsWith('application/problem+json');
    const namesField = status !== 400 || (isProblem && (JSON.parse(body).errors ?? []).length > 0);
    if (!isProblem || !namesField) {
      report.malformedRefusals++;
      fail(isProblem ? 'a 400 that names no field' : 'a refusal that is not problem+json');
    }
  }
  const after = await transactionCounter(db);
  world.counter = after;
  if (after === before) return;
  const state = await tableState(db, before);
  if (status >= 400) {
    const changes = unexpectedChanges(world.baseline, state, await auditActionsSince(db, before));
    if (changes.length > 0) {
      report.partialWrites++;
      fail(`a refusal that wrote (${changes.join('; ')})`);
    }
  }
  world.baseline = state;
}

/** The explicit examples of a route: requests (without the caller) to send as well. */
export type RouteExamples = Record<string, FuzzRequest[]>;

/** Fuzzes one route with `cases` generated requests (and its examples), reporting what broke. */
export async function fuzzRoute(
  world: FuzzWorld,
  route: RouteAccess,
  options: {
    cases: number;
    seed: number;
    examples?: { role: Role | null; request: FuzzRequest }[];
  },
): Promise<RouteReport> {
  const report: RouteReport = {
    route: routeKey(route),
    cases: 0,
    status: {},
    serverErrors: 0,
    partialWrites: 0,
    malformedRefusals: 0,
    unavailable: 0,
    failures: [],
    milliseconds: 0,
  };
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(requestArbitrary(world, route), async ({ role, request }) => {
      await runCase(world, role, request, report);
      // Injected requests and the embedded engine resolve on promises alone, so the event loop
      // would never turn in a run: each request's setImmediate clean-up (light-my-request's)
      // would wait, holding the request and its answer, until the process ran out of memory.
      if (report.cases % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }),
    {
      numRuns: options.cases,
      seed: options.seed,
      endOnFailure: true,
      examples: (options.examples ?? []).map((example) => [example]),
    },
  );
  report.milliseconds = Math.round(performance.now() - started);
  return report;
}

/** The routes of the app that the fuzz walks: every one (the docs' static files included). */
export function fuzzedRoutes(app: FastifyInstance): RouteAccess[] {
  return [...app.routeTable].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

export type { JsonSchema, Mutation };
