import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '#server/context.ts';
import { newAgency, newRecord, newUser } from '#test/factories.ts';
import { changedTables, countRows } from '#test/row-counts.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { maxPlacesFileBytes } from './imports.routes.ts';
import { importInspections, importPlaces } from './imports.service.ts';

let t: TestApp;
let agencyId: string;
let supervisorCookie: string;
let colleagueCookie: string;
let ctx: RequestContext;
let otherAgencyId: string;
let otherOfficerId: string;

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await newAgency(t.database.db)).id;
  const supervisor = await newUser(t.database.db, agencyId, { role: 'supervisor' });
  const colleague = await newUser(t.database.db, agencyId, { role: 'officer' });
  supervisorCookie = await t.signIn(supervisor.email);
  colleagueCookie = await t.signIn(colleague.email);
  ctx = {
    actor: { userId: supervisor.id, agencyId, role: 'supervisor', sessionId: 'test' },
    ip: null,
    userAgent: 'test',
    requestId: 'test',
  };
  otherAgencyId = (await newAgency(t.database.db)).id;
  otherOfficerId = (await newUser(t.database.db, otherAgencyId)).id;
});
afterAll(() => t.close());

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = await t.database.db.execute<{ n: number }>(query);
  return Number(result.rows[0]?.n);
}

const placesOf = (agency: string) =>
  count(sql`select count(*)::int as n from places where agency_id = ${agency}`);

/** `rows` places on a grid over Missouri and Kansas, none within 150 m of another. */
function placesCsv(rows: number, prefix: string): string {
  const lines = ['kind,name,lat,lon,highway'];
  for (let i = 1; i <= rows; i++) {
    const lat = (36.5 + ((i * 7919) % 40_000) / 10_000).toFixed(5);
    const lon = (-98 + ((i * 104_729) % 70_000) / 10_000).toFixed(5);
    lines.push(`truck_stop,${prefix} ${i},${lat},${lon},I-70`);
  }
  return `${lines.join('\n')}\n`;
}

const uploadPlaces = (payload: string | Readable, contentType = 'text/csv', query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/imports/places${query}`,
    headers: { cookie: supervisorCookie, 'content-type': contentType },
    payload,
  });

const uploadInspections = (payload: string, query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/imports/inspections${query}`,
    headers: { cookie: supervisorCookie, 'content-type': 'text/csv' },
    payload,
  });

describe('a long places import', () => {
  it('lets a colleague’s requests through while it writes, and adds every place once', async () => {
    const rows = 20_000;
    const before = await placesOf(agencyId);
    let finished = false;
    const importing = uploadPlaces(placesCsv(rows, 'Long Import Stop')).finally(() => {
      finished = true;
    });
    // Asked again and again until the import ends, as the colleague's app polls: each answer
    // that comes while some but not all of the places are stored came while the import was
    // writing. An import that held the database throughout would let no such answer through.
    let answeredMidImport = 0;
    while (!finished) {
      const stored = (await placesOf(agencyId)) - before;
      const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: colleagueCookie } });
      expect(me.statusCode).toBe(200);
      if (!finished && stored > 0 && stored < rows) answeredMidImport += 1;
      await setTimeout(10);
    }
    const response = await importing;
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ rows, added: rows, updated: 0, unchanged: 0 });
    expect(answeredMidImport).toBeGreaterThanOrEqual(3);
    expect((await placesOf(agencyId)) - before).toBe(rows);
    // Each place with its audit entry, and the import's own.
    expect(
      await count(sql`select count(*)::int as n from audit_log
        where agency_id = ${agencyId} and action = 'place.imported'`),
    ).toBe(rows);
  }, 300_000);

  it('refuses a long file with one bad row at its end whole, and writes nothing', async () => {
    const csv = `${placesCsv(5000, 'Refused Stop')}truck_stop,Bad Stop,239.1,-94,I-35\n`;
    const before = await countRows(t.database.db);
    const response = await uploadPlaces(csv);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { field: 'row 5002: lat', message: expect.any(String) },
    ]);
    expect(changedTables(before, await countRows(t.database.db))).toEqual([]);
  }, 60_000);
});

describe('places across batches', () => {
  const file = [
    'kind,name,lat,lon,brand,exit',
    'truck_stop,Batch Plaza,38.5,-95.5,Prairie,',
    'rest_area,Batch Rest Area,38.6,-95.5,,',
    'truck_stop,Batch Other,38.7,-95.5,,',
    'truck_stop,BATCH plaza,38.5005,-95.5,,12',
    'rest_area,Batch Rest Area,38.6,-95.5,,',
  ].join('\n');

  it('matches a row with one of an earlier batch, as in one', async () => {
    const before = await placesOf(agencyId);
    const report = await importPlaces(
      t.database.db,
      ctx,
      { format: 'csv', input: file },
      { skipInvalid: false, batchRows: 2 },
    );
    expect(report).toMatchObject({ rows: 5, added: 3, updated: 1, unchanged: 1 });
    expect((await placesOf(agencyId)) - before).toBe(3);
    const plaza = await t.database.db.execute<{ brand: string; exit: string; lat: number }>(
      sql`select brand, exit, lat from places where agency_id = ${agencyId} and normalized_name = 'batchplaza'`,
    );
    expect(plaza.rows).toEqual([{ brand: 'Prairie', exit: '12', lat: 38.5005 }]);
  });

  it('is finished by importing the same file again after it stopped half-way', async () => {
    const csv = placesCsv(9, 'Interrupted Stop');
    const before = await placesOf(agencyId);
    let batches = 0;
    await expect(
      importPlaces(
        t.database.db,
        ctx,
        { format: 'csv', input: csv },
        {
          skipInvalid: false,
          batchRows: 2,
          onProgress: () => {
            batches += 1;
            if (batches === 2) throw new Error('the process stopped here');
          },
        },
      ),
    ).rejects.toThrow('stopped here');
    // The batches before the stop are stored whole; nothing after.
    expect((await placesOf(agencyId)) - before).toBe(4);
    const again = await importPlaces(
      t.database.db,
      ctx,
      { format: 'csv', input: csv },
      { skipInvalid: false, batchRows: 2 },
    );
    expect(again).toMatchObject({ added: 5, unchanged: 4 });
    expect((await placesOf(agencyId)) - before).toBe(9);
  });

  it('adds each place once when two imports of one file run at the same time', async () => {
    const csv = placesCsv(40, 'Twice At Once');
    const before = await placesOf(agencyId);
    const [a, b] = await Promise.all([
      importPlaces(
        t.database.db,
        ctx,
        { format: 'csv', input: csv },
        { skipInvalid: false, batchRows: 7 },
      ),
      importPlaces(
        t.database.db,
        ctx,
        { format: 'csv', input: csv },
        { skipInvalid: false, batchRows: 5 },
      ),
    ]);
    expect(a.added + b.added).toBe(40);
    expect(a.unchanged + b.unchanged).toBe(40);
    expect((await placesOf(agencyId)) - before).toBe(40);
  });
});

describe('places files Milepost cannot store as they are', () => {
  const refusedWhole = async (payload: string | Readable, contentType: string) => {
    const before = await countRows(t.database.db);
    const response = await uploadPlaces(payload, contentType);
    expect(changedTables(before, await countRows(t.database.db))).toEqual([]);
    return response;
  };

  it('refuses a NUL character or a lone surrogate, naming the row and field', async () => {
    const csv =
      'kind,name,lat,lon,address\ntruck_stop,Nul\u0000Stop,39,-94,\ntruck_stop,Fine Stop,39.1,-94,a\u0000b\n';
    const response = await refusedWhole(csv, 'text/csv');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 2: name',
      'row 3: address',
    ]);
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { '@id': 'node/1', highway: 'rest_area', name: 'Lone \ud800 Surrogate' },
          geometry: { type: 'Point', coordinates: [-94, 39] },
        },
        {
          type: 'Feature',
          properties: {
            '@id': 'node/2',
            highway: 'rest_area',
            name: 'Fine',
            brand: 'x'.repeat(301),
          },
          geometry: { type: 'Point', coordinates: [-94, 39] },
        },
        {
          type: 'Feature',
          properties: { '@id': 'node/3', highway: 'rest_area', name: 'Off the globe' },
          geometry: { type: 'Point', coordinates: [-94, 1e308] },
        },
      ],
    });
    const refused = await refusedWhole(geojson, 'application/geo+json');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 1: properties.name',
      'row 2: properties.brand',
      'row 3: geometry',
    ]);
  });

  it('takes a row that leaves out its last fields', async () => {
    const response = await uploadPlaces(
      'kind,name,lat,lon,exit,highway\ntruck_stop,Short Row Stop,38.2,-94.2\n',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ added: 1, invalid: [] });
  });

  it('refuses GeoJSON nested too deep to read, and reads a feature with a deep tag it ignores', async () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    for (const payload of [
      `{"type":"FeatureCollection","features":[${deep(200_000)}]}`,
      deep(200_000),
    ]) {
      const response = await refusedWhole(payload, 'application/geo+json');
      expect(response.statusCode, response.body.slice(0, 200)).toBe(400);
    }
    const feature = `{"type":"Feature","properties":{"@id":"node/77","highway":"rest_area","name":"Deep Tag Rest Area","note":${deep(100_000)}},"geometry":{"type":"Point","coordinates":[-94.9,38.9]}}`;
    const read = await uploadPlaces(
      `{"type":"FeatureCollection","features":[${feature}]}`,
      'application/geo+json',
    );
    expect(read.statusCode, read.body.slice(0, 200)).toBe(200);
    expect(read.json()).toMatchObject({ added: 1 });
  });

  it('refuses a file that is not CSV, naming the line', async () => {
    for (const csv of [
      'kind,name,lat,lon\ntruck_stop,"Never closed,39,-94\n',
      'kind,name,lat,lon\ntruck_stop,One Too Many,39,-94,extra\n',
    ]) {
      const response = await refusedWhole(csv, 'text/csv');
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().errors[0].field).toBe('file');
      expect(response.json().detail).toMatch(/line 2/);
    }
  });

  it('refuses a file over the limit, announced or streamed', async () => {
    const header = 'kind,name,lat,lon\n';
    const big = header + 'x'.repeat(maxPlacesFileBytes);
    const announced = await refusedWhole(big, 'text/csv');
    expect(announced.statusCode).toBe(413);
    // Sent as a stream, with no length given: cut off as it passes the limit.
    const chunks = function* () {
      yield header;
      for (let sent = 0; sent <= maxPlacesFileBytes; sent += 2 ** 20) {
        yield `truck_stop,Stream Stop ${sent},39,-94\n`.padEnd(2 ** 20, ' ');
      }
    };
    const streamed = await refusedWhole(Readable.from(chunks()), 'text/csv');
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().detail).toContain(`${maxPlacesFileBytes / 2 ** 20} MB`);
  }, 60_000);
});

describe('inspections across batches', () => {
  const stateFile = (reportNumbers: string[]) =>
    [
      'Report_Number,Report_State,Insp_Date,Insp_Start_Time,Insp_level_ID',
      ...reportNumbers.map((n, i) => `${n},MO,20260301,${String(800 + i).padStart(4, '0')},2`),
    ].join('\n');
  const inspectionsOf = (agency: string) =>
    count(sql`select count(*)::int as n from inspections where agency_id = ${agency}`);

  it('joins a report number repeated in a later batch, as in one', async () => {
    const before = await inspectionsOf(agencyId);
    const report = await importInspections(
      t.database.db,
      ctx,
      stateFile(['MOB1', 'MOB2', 'MOB3', 'MOB1', 'MOB4', 'MOB2', 'MOB1']),
      { skipInvalid: false, batchRows: 2 },
    );
    expect(report).toMatchObject({ rows: 7, added: 4, unchanged: 3 });
    expect((await inspectionsOf(agencyId)) - before).toBe(4);
  });

  it('adds a Milepost row without an id once, however often its file comes', async () => {
    const csv = [
      'occurred_at,level,notes',
      '2026-03-02T10:00:00-06:00,III,first',
      '2026-03-02T10:00:00-06:00,III,first',
      '2026-03-02T11:00:00-06:00,II,second',
    ].join('\n');
    const before = await inspectionsOf(agencyId);
    let batches = 0;
    await expect(
      importInspections(t.database.db, ctx, csv, {
        skipInvalid: false,
        batchRows: 1,
        onProgress: (_done, total) => {
          if (total > 0 && ++batches === 2) throw new Error('the process stopped here');
        },
      }),
    ).rejects.toThrow('stopped here');
    expect((await inspectionsOf(agencyId)) - before).toBe(2);
    // Two rows alike are two inspections; the same file again adds only what is missing.
    const again = await importInspections(t.database.db, ctx, csv, {
      skipInvalid: false,
      batchRows: 1,
    });
    expect(again).toMatchObject({ added: 1, unchanged: 2 });
    expect((await inspectionsOf(agencyId)) - before).toBe(3);
    expect(await importInspections(t.database.db, ctx, csv, { skipInvalid: false })).toMatchObject({
      added: 0,
      unchanged: 3,
    });
  });

  it('refuses a row with the id of another agency’s record or of another kind, writing nothing', async () => {
    const theirs = await newRecord(t.database.db, 'inspection', otherAgencyId, otherOfficerId);
    const activity = await newRecord(t.database.db, 'activity', otherAgencyId, otherOfficerId);
    const mine = randomUUID();
    const csv = [
      'id,occurred_at,level',
      `${mine},2026-03-03T10:00:00-06:00,III`,
      `${theirs.id},2026-03-03T10:00:00-06:00,III`,
      `${activity.id},2026-03-03T11:00:00-06:00,II`,
    ].join('\n');
    const before = await countRows(t.database.db);
    const refused = await uploadInspections(csv);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toEqual([
      { field: 'row 3: id', message: 'is already used by a different record' },
      { field: 'row 4: id', message: 'is already used by a different record' },
    ]);
    expect(changedTables(before, await countRows(t.database.db))).toEqual([]);

    const skipped = await uploadInspections(csv, '?skipInvalid=true');
    expect(skipped.json()).toMatchObject({ added: 1, invalid: [{ row: 3 }, { row: 4 }] });
    const stored = await t.database.db.execute<{ agency_id: string }>(
      sql`select agency_id from inspections where id in (${mine}, ${theirs.id})`,
    );
    expect(stored.rows.map((r) => r.agency_id).sort()).toEqual([agencyId, otherAgencyId].sort());
  });

  it('runs two at once, and refuses a third until one ends, writing nothing for it', async () => {
    const slow = [new PassThrough(), new PassThrough()];
    const running = slow.map((input) =>
      importInspections(t.database.db, ctx, input, { skipInvalid: false }),
    );
    const before = await countRows(t.database.db);
    const third = await uploadInspections(stateFile(['MOC1']));
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe('60');
    expect(changedTables(before, await countRows(t.database.db))).toEqual([]);
    for (const [i, input] of slow.entries()) input.end(stateFile([`MOC${i + 2}`]));
    expect((await Promise.all(running)).map((r) => r.added)).toEqual([1, 1]);
    expect((await uploadInspections(stateFile(['MOC1']))).statusCode).toBe(200);
  });

  it('names a few of the columns it ignores, however many there are', async () => {
    const extra = Array.from({ length: 5000 }, (_, i) => `Column_${i}`);
    const csv = `Report_Number,Insp_Date,Insp_level_ID,${extra.join(',')}\nMOD1,20260301,2${','.repeat(5000)}\n`;
    const response = await uploadInspections(csv);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().ignoredColumns).toHaveLength(51);
    expect(response.json().ignoredColumns.at(-1)).toBe('(and 4950 more)');
  });

  it('refuses dates PostgreSQL cannot hold and text it cannot store, naming the row', async () => {
    const before = await countRows(t.database.db);
    const state = [
      'Report_Number,Insp_Date,Insp_level_ID',
      'MOY0,00000101,2',
      'MOY1,99991231,2',
      'MO\u0000Y2,20260301,2',
    ].join('\n');
    const refused = await uploadInspections(state);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 2: insp_date',
      'row 3: insp_date',
      'row 4: report_number',
    ]);
    const own = [
      'occurred_at,level,notes',
      '0000-01-01T00:00:00Z,III,',
      '2026-03-01T10:00:00Z,III,nul \u0000 here',
      '2026-03-01T10:00:00Z,"III',
    ].join('\n');
    const second = await uploadInspections(own);
    expect(second.statusCode).toBe(400);
    expect(changedTables(before, await countRows(t.database.db))).toEqual([]);
  });
});
