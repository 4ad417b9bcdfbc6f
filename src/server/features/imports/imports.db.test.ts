import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

let t: TestApp;
let cookie: string;
let agencyId: string;

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await newAgency(t.database.db)).id;
  const supervisor = await newUser(t.database.db, agencyId, { role: 'supervisor' });
  cookie = await t.signIn(supervisor.email);
});
afterAll(() => t.close());

async function placeCount(): Promise<number> {
  const result = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from places where agency_id = ${agencyId}`,
  );
  return Number(result.rows[0]?.n);
}

const overpassExport = {
  type: 'FeatureCollection',
  generator: 'overpass-turbo',
  copyright:
    'The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.',
  features: [
    {
      type: 'Feature',
      properties: {
        '@id': 'node/1001',
        highway: 'services',
        name: 'Prairie Travel Plaza',
        brand: 'Prairie',
      },
      geometry: { type: 'Point', coordinates: [-94.35, 39.04] },
      id: 'node/1001',
    },
    {
      type: 'Feature',
      properties: {
        '@id': 'way/2002',
        amenity: 'fuel',
        hgv: 'yes',
        name: 'Junction Truck Fuel',
        'addr:city': 'Oak Grove',
      },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-94.13, 39.0],
            [-94.12, 39.0],
            [-94.12, 39.01],
            [-94.13, 39.01],
            [-94.13, 39.0],
          ],
        ],
      },
      id: 'way/2002',
    },
    {
      type: 'Feature',
      properties: { '@id': 'node/3003', highway: 'rest_area', name: 'I-70 Rest Area Mile 37' },
      geometry: { type: 'Point', coordinates: [-93.96, 38.99] },
      id: 'node/3003',
    },
  ],
};

const upload = (payload: string, contentType: string, query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/imports/places${query}`,
    headers: { cookie, 'content-type': contentType },
    payload,
  });

describe('importing places', () => {
  it('reads an Overpass GeoJSON export, and a second import adds nothing', async () => {
    const first = await upload(JSON.stringify(overpassExport), 'application/geo+json');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ rows: 3, added: 3, updated: 0, invalid: [] });
    const second = await upload(JSON.stringify(overpassExport), 'application/geo+json');
    expect(second.json()).toMatchObject({ rows: 3, added: 0, updated: 0, unchanged: 3 });
    expect(await placeCount()).toBe(3);

    const places = (
      await t.app.inject({ url: '/api/places?q=junction', headers: { cookie } })
    ).json().items;
    expect(places).toHaveLength(1);
    expect(places[0]).toMatchObject({
      kind: 'truck_stop',
      osmId: 'way/2002',
      source: 'osm',
      attribution: expect.stringContaining('ODbL'),
      address: 'Oak Grove',
    });
    expect(places[0].position.lat).toBeCloseTo(39.004, 3);
  });

  it('matches a CSV place to one with the same name within 150 m, and adds one farther away', async () => {
    const before = await placeCount();
    const csv = [
      'Name,Kind,Lat,Lon,Exit',
      'Prairie Travel-Plaza,travel_plaza,39.0405,-94.3502,20',
      'Prairie Travel Plaza,travel_plaza,39.0600,-94.3500,21',
    ].join('\n');
    const response = await upload(csv, 'text/csv');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ rows: 2, added: 1, updated: 1 });
    expect(await placeCount()).toBe(before + 1);
  });

  it('refuses a file with invalid rows, naming them, unless told to skip them', async () => {
    const before = await placeCount();
    const csv = [
      'kind,name,lat,lon',
      'truck_stop,Good Stop One,39.2,-94.5',
      'spaceport,Bad Kind,39.2,-94.6',
      'truck_stop,Bad Latitude,239.2,-94.6',
      'truck_stop,Good Stop Two,39.3,-94.5',
    ].join('\n');
    const refused = await upload(csv, 'text/csv');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('rows 3, 4');
    expect(refused.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 3: kind',
      'row 4: lat',
    ]);
    expect(await placeCount()).toBe(before);

    const skipped = await upload(csv, 'text/csv', '?skipInvalid=true');
    expect(skipped.statusCode).toBe(200);
    expect(skipped.json()).toMatchObject({ added: 2, invalid: [{ row: 3 }, { row: 4 }] });
    expect(await placeCount()).toBe(before + 2);
  });
});

describe('nearest places', () => {
  it('orders by distance from a point', async () => {
    const near = await t.app.inject({
      url: '/api/places?near=39.0,-94.13&limit=2',
      headers: { cookie },
    });
    expect(near.statusCode).toBe(200);
    const items = near.json().items;
    expect(items.map((p: { name: string }) => p.name)).toEqual([
      'Junction Truck Fuel',
      'I-70 Rest Area Mile 37',
    ]);
    expect(items[0].distanceKm).toBeLessThan(items[1].distanceKm);
    expect(items[0].distanceKm).toBeCloseTo(0.61, 1);
  });

  it('refuses a point off the globe, naming the field', async () => {
    const response = await t.app.inject({ url: '/api/places?near=200,-94', headers: { cookie } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('near.lat');
  });

  it('creates a place once under its id', async () => {
    const body = {
      id: randomUUID(),
      kind: 'weigh_station',
      name: 'I-35 Scales',
      position: { lat: 38.87, lon: -94.8 },
    };
    const create = () =>
      t.app.inject({ method: 'POST', url: '/api/places', headers: { cookie }, payload: body });
    expect((await create()).statusCode).toBe(201);
    expect((await create()).statusCode).toBe(200);
  });
});

describe('importing inspections', () => {
  const uploadInspections = (payload: string, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/imports/inspections${query}`,
      headers: { cookie, 'content-type': 'text/csv' },
      payload,
    });

  it('joins a state file to Milepost’s own inspections by report number', async () => {
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/inspections',
      headers: { cookie },
      payload: {
        id: randomUUID(),
        occurredAt: '2026-02-10T15:00:00-06:00',
        level: 'III',
        reportNumber: 'MO00001111',
        outreachGiven: true,
      },
    });
    expect(own.statusCode).toBe(201);
    const state = [
      'Report_Number,REPORT_STATE,Dot_Number,Insp_Date,Insp_Start_Time,Insp_level_ID,Unit_Type_Desc,VIN',
      'MO00001111,MO,1234567,20260210,1500,3,TRUCK TRACTOR,1XKAD49X0CJ123456',
      'MO00002222,MO,7654321,20260210,0930,1,STRAIGHT TRUCK,1FUJGLDR5CLBP1234',
      'MO00003333,MO,,20260211,2330,2,MOTORCOACH,',
    ].join('\n');
    const first = await uploadInspections(state);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      format: 'fmcsa',
      rows: 3,
      added: 2,
      matched: 1,
      ignoredColumns: ['vin'],
    });
    // Importing the same file again adds nothing.
    expect((await uploadInspections(state)).json()).toMatchObject({
      added: 0,
      matched: 1,
      unchanged: 2,
    });

    const summary = (
      await t.app.inject({ url: '/api/summary?from=2026-02-10&to=2026-02-11', headers: { cookie } })
    ).json();
    expect(summary.inspections).toEqual({
      recorded: 1,
      imported: 2,
      withOutreach: 1,
      shareWithOutreach: 1 / 3,
    });

    const late = (
      await t.app.inject({
        url: '/api/inspections?from=2026-02-11&to=2026-02-11',
        headers: { cookie },
      })
    ).json().items;
    expect(late).toHaveLength(1);
    // 23:30 in Kansas City on February 11 is 05:30 UTC on the 12th; its local date stays the 11th.
    expect(late[0]).toMatchObject({
      source: 'state_import',
      officerId: null,
      level: 'II',
      vehicleType: 'motorcoach',
      occurredAt: '2026-02-12T05:30:00.000Z',
      localDate: '2026-02-11',
    });
    // A supervisor's correction keeps the state's record without an officer.
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/inspections/${late[0].id}`,
      headers: { cookie },
      payload: { version: late[0].version, notes: 'Checked against the paper report' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      officerId: null,
      notes: 'Checked against the paper report',
    });
  });

  it('refuses a state file with a bad row, naming it, and writes nothing', async () => {
    const state = [
      'Report_Number,Insp_Date,Insp_Start_Time,Insp_level_ID',
      'MO00004444,20260212,0930,3',
      'MO00005555,2026-02-12,0930,3',
      'MO00006666,20260212,0930,9',
      'MO00007777,20260212,2460,3',
    ].join('\n');
    const before = (
      await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from inspections`)
    ).rows[0]?.n;
    const response = await uploadInspections(state);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 3: insp_date',
      'row 4: insp_level_id',
      'row 5: insp_start_time',
    ]);
    const after = (
      await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from inspections`)
    ).rows[0]?.n;
    expect(after).toBe(before);
    expect((await uploadInspections(state, '?skipInvalid=true')).json()).toMatchObject({
      added: 1,
    });
  });

  it('counts every invalid row of a refused file, beyond those its report lists', async () => {
    // More bad rows than an import keeps in its report (1,000): the refusal still counts them all.
    const badRows = 1_500;
    const file = ['Report_Number,Insp_Date,Insp_level_ID'];
    for (let i = 0; i < badRows; i++) file.push(`MO7${String(i).padStart(7, '0')},20260212,9`);
    const response = await uploadInspections(file.join('\n'));
    expect(response.statusCode).toBe(400);
    const detail: string = response.json().detail;
    expect(detail).toMatch(/^1500 rows could not be read: rows 2, 3, /);
    expect(detail).toContain(', 51 and 1450 more. Nothing was imported');
    expect(response.json().errors).toHaveLength(50);
  });
});
