import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balancesOutOfStep } from '#server/features/stock/stock.repository.ts';
import { localDateOf } from '#shared/time.ts';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

let t: TestApp;
let officer: { id: string; cookie: string };
let supervisor: { id: string; cookie: string };
let initiativeId: string;
let walletCard: string;
let agencyId: string;
let decal: string;

const today = () => localDateOf(new Date(), 'America/Chicago');
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function call(
  cookie: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function stockOf(holderId: string | null, materialId: string): Promise<number> {
  const response = await call(supervisor.cookie, 'GET', `/api/stock?materialId=${materialId}`);
  const row = response
    .json()
    .items.find((h: { holderId: string | null }) => h.holderId === holderId);
  return row?.onHand ?? 0;
}

async function countRows(table: string): Promise<number> {
  const result = await t.database.db.execute<{ n: number }>(
    sql.raw(`select count(*)::int as n from ${table}`),
  );
  return Number(result.rows[0]?.n);
}

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db, { timeZone: 'America/Chicago' });
  agencyId = agency.id;
  const o = await newUser(t.database.db, agency.id, { role: 'officer' });
  const s = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  officer = { id: o.id, cookie: await t.signIn(o.email) };
  supervisor = { id: s.id, cookie: await t.signIn(s.email) };

  initiativeId = randomUUID();
  const initiative = await call(supervisor.cookie, 'POST', '/api/initiatives', {
    id: initiativeId,
    name: 'Human Trafficking Awareness Week',
    startsOn: today(),
    endsOn: today(),
    goals: { wallet_cards: 100, inspections: 20 },
  });
  expect(initiative.statusCode).toBe(201);

  walletCard = randomUUID();
  decal = randomUUID();
  for (const [id, kind, name] of [
    [walletCard, 'wallet_card', 'TAT wallet card'],
    [decal, 'window_decal', 'TAT window decal'],
  ] as const) {
    const material = await call(supervisor.cookie, 'POST', '/api/materials', {
      id,
      kind,
      name,
      language: 'en',
      provider: 'Truckers Against Trafficking',
    });
    expect(material.statusCode).toBe(201);
  }
  const move = (payload: object) =>
    call(supervisor.cookie, 'POST', '/api/stock/movements', { id: randomUUID(), ...payload });
  expect((await move({ materialId: walletCard, type: 'received', quantity: 100 })).statusCode).toBe(
    201,
  );
  expect(
    (await move({ materialId: walletCard, type: 'issued', quantity: 20, officerId: officer.id }))
      .statusCode,
  ).toBe(201);
  expect((await move({ materialId: decal, type: 'received', quantity: 5 })).statusCode).toBe(201);
});
afterAll(() => t.close());

describe('an inspection with outreach', () => {
  const inspection = () => ({
    id: randomUUID(),
    occurredAt: minutesAgo(5),
    position: { lat: 39.0403, lon: -94.5786 },
    level: 'III',
    usdotNumber: '1234567',
    vehicleType: 'truck_tractor',
    outreachGiven: true,
    materials: [
      { materialId: walletCard, quantity: 2 },
      { materialId: decal, quantity: 1 },
    ],
    redFlags: [],
    action: 'none',
  });

  it('lowers the officer’s stock and counts in the initiative summary', async () => {
    const before = {
      card: await stockOf(officer.id, walletCard),
      decalStore: await stockOf(null, decal),
    };
    const response = await call(officer.cookie, 'POST', '/api/inspections', inspection());
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      officerId: officer.id,
      initiativeId,
      localDate: today(),
      shortfalls: [],
    });
    expect(await stockOf(officer.id, walletCard)).toBe(before.card - 2);
    // The officer held no decals: the one handed out came from the store.
    expect(await stockOf(null, decal)).toBe(before.decalStore - 1);

    const summary = (
      await call(officer.cookie, 'GET', `/api/initiatives/${initiativeId}/summary`)
    ).json();
    expect(summary.totals).toMatchObject({
      inspections: 1,
      inspections_with_outreach: 1,
      wallet_cards: 2,
      window_decals: 1,
      materials_handed_out: 3,
    });
    expect(summary.goals).toContainEqual({
      metric: 'wallet_cards',
      goal: 100,
      actual: 2,
      progress: 0.02,
    });
  });

  it('changes nothing when the same request is sent again, and refuses the id with other content', async () => {
    const body = inspection();
    expect((await call(officer.cookie, 'POST', '/api/inspections', body)).statusCode).toBe(201);
    const counts = {
      inspections: await countRows('inspections'),
      ledger: await countRows('stock_ledger'),
      audit: await countRows('audit_log'),
    };
    const again = await call(officer.cookie, 'POST', '/api/inspections', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(body.id);
    expect({
      inspections: await countRows('inspections'),
      ledger: await countRows('stock_ledger'),
      audit: await countRows('audit_log'),
    }).toEqual(counts);

    const different = await call(officer.cookie, 'POST', '/api/inspections', {
      ...body,
      level: 'II',
    });
    expect(different.statusCode).toBe(409);
    expect(different.json().errors).toEqual([
      { field: 'id', message: 'is already used by a different record' },
    ]);
  });

  it('refuses a stale edit and keeps the newer one', async () => {
    const created = (await call(officer.cookie, 'POST', '/api/inspections', inspection())).json();
    const first = await call(officer.cookie, 'PATCH', `/api/inspections/${created.id}`, {
      version: 1,
      notes: 'first edit',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await call(officer.cookie, 'PATCH', `/api/inspections/${created.id}`, {
      version: 1,
      notes: 'stale edit',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].field).toBe('version');
    expect((await call(officer.cookie, 'GET', `/api/inspections/${created.id}`)).json().notes).toBe(
      'first edit',
    );
  });

  it('re-posts stock when an edit changes the material, and gives it back on delete', async () => {
    const start = await stockOf(officer.id, walletCard);
    const created = (
      await call(officer.cookie, 'POST', '/api/inspections', {
        ...inspection(),
        materials: [{ materialId: walletCard, quantity: 3 }],
      })
    ).json();
    expect(await stockOf(officer.id, walletCard)).toBe(start - 3);
    const edited = await call(officer.cookie, 'PATCH', `/api/inspections/${created.id}`, {
      version: created.version,
      materials: [{ materialId: walletCard, quantity: 1 }],
    });
    expect(edited.statusCode).toBe(200);
    expect(await stockOf(officer.id, walletCard)).toBe(start - 1);
    const deleted = await call(officer.cookie, 'DELETE', `/api/inspections/${created.id}`, {
      version: 2,
      reason: 'logged twice',
    });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ deletedReason: 'logged twice' });
    expect(await stockOf(officer.id, walletCard)).toBe(start);
    const list = (await call(officer.cookie, 'GET', '/api/inspections?limit=200')).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(created.id);
  });

  it('answers, reads back and audits a new record of each kind alike', async () => {
    const decalsInStore = await stockOf(null, decal);
    const created = [
      [
        '/api/inspections',
        // More decals than the store holds: the answer carries a shortfall.
        {
          ...inspection(),
          materials: [{ materialId: decal, quantity: 500 }],
          redFlags: ['id_held_by_other'],
        },
      ],
      [
        '/api/outreach-visits',
        {
          id: randomUUID(),
          occurredAt: minutesAgo(3),
          reached: { drivers: 4, staff: 1 },
          materials: [{ materialId: walletCard, quantity: 1 }],
          followUpOn: today(),
        },
      ],
      ['/api/activities', { id: randomUUID(), occurredAt: minutesAgo(2), kind: 'presentations' }],
    ] as const;
    for (const [path, body] of created) {
      const response = await call(officer.cookie, 'POST', path, body);
      expect(response.statusCode, response.body).toBe(201);
      const answered = response.json();
      expect(answered).toMatchObject({ id: body.id, initiativeId, localDate: today(), version: 1 });
      const read = (await call(officer.cookie, 'GET', `${path}/${body.id}`)).json();
      expect(read).toEqual(answered);
      const audit = await t.database.db.execute<{ action: string; after: unknown }>(
        sql`select action, after from audit_log where entity_id = ${body.id}`,
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]?.action).toMatch(/\.created$/);
      expect(audit.rows[0]?.after).toEqual(answered);
    }
    expect(
      (await call(officer.cookie, 'GET', `/api/inspections/${created[0][1].id}`)).json(),
    ).toMatchObject({
      shortfalls: [{ materialId: decal, quantity: 500 - decalsInStore }],
    });
    expect(await stockOf(null, decal)).toBe(0);
  });

  it('refuses a record naming every field the agency does not know, writing nothing', async () => {
    const away = await newUser(t.database.db, agencyId, { role: 'officer', active: false });
    const counts = {
      inspections: await countRows('inspections'),
      audit: await countRows('audit_log'),
    };
    const response = await call(supervisor.cookie, 'POST', '/api/inspections', {
      ...inspection(),
      officerId: away.id,
      placeId: randomUUID(),
      initiativeId: randomUUID(),
      materials: [
        { materialId: walletCard, quantity: 1 },
        { materialId: randomUUID(), quantity: 1 },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'officerId',
      'placeId',
      'materials.1.materialId',
      'initiativeId',
    ]);
    expect({
      inspections: await countRows('inspections'),
      audit: await countRows('audit_log'),
    }).toEqual(counts);
  });

  it.each([
    [{ level: 'IX' }, 'level'],
    [{ position: { lat: 200, lon: -94.5 } }, 'position.lat'],
    [
      { materials: [{ materialId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] },
      'materials.0.materialId',
    ],
    [{ occurredAt: new Date(Date.now() + 366 * 86_400_000).toISOString() }, 'occurredAt'],
    [{ usdotNumber: '123456789' }, 'usdotNumber'],
    [{ redFlags: ['looks_suspicious'] }, 'redFlags.0'],
    [{ action: 'arrested' }, 'action'],
  ])('refuses %j with 400 naming %s, writing nothing', async (change, field) => {
    const counts = {
      inspections: await countRows('inspections'),
      ledger: await countRows('stock_ledger'),
    };
    const response = await call(officer.cookie, 'POST', '/api/inspections', {
      ...inspection(),
      ...change,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect({
      inspections: await countRows('inspections'),
      ledger: await countRows('stock_ledger'),
    }).toEqual(counts);
  });
});

describe('stock', () => {
  it('refuses a movement that would overdraw the store, naming the material and the shortfall', async () => {
    const onHand = await stockOf(null, decal);
    const before = await countRows('stock_ledger');
    const response = await call(supervisor.cookie, 'POST', '/api/stock/movements', {
      id: randomUUID(),
      materialId: decal,
      type: 'issued',
      quantity: onHand + 10,
      officerId: officer.id,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toBe(
      `Not enough "TAT window decal" (en) in the agency store: ${onHand} on hand, ${onHand + 10} asked, 10 short.`,
    );
    expect(await countRows('stock_ledger')).toBe(before);
  });

  it('accepts an inspection that overdraws, and lists the shortfall for reconciliation', async () => {
    const officerHas = await stockOf(officer.id, decal);
    const storeHas = await stockOf(null, decal);
    const asked = officerHas + storeHas + 4;
    const response = await call(officer.cookie, 'POST', '/api/inspections', {
      id: randomUUID(),
      occurredAt: minutesAgo(1),
      level: 'II',
      materials: [{ materialId: decal, quantity: asked }],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().shortfalls).toEqual([{ materialId: decal, quantity: 4 }]);
    expect(await stockOf(null, decal)).toBe(0);
    const shortfalls = (await call(supervisor.cookie, 'GET', '/api/stock/shortfalls')).json().items;
    const mine = shortfalls.find((s: { recordId: string }) => s.recordId === response.json().id);
    expect(mine).toMatchObject({ materialId: decal, officerId: officer.id, quantity: 4 });
    const resolved = await call(
      supervisor.cookie,
      'POST',
      `/api/stock/shortfalls/${mine.id}/resolve`,
    );
    expect(resolved.statusCode).toBe(200);
    expect(
      (await call(supervisor.cookie, 'GET', '/api/stock/shortfalls')).json().items,
    ).not.toContainEqual(expect.objectContaining({ id: mine.id }));
  });

  it('pages through the movements, each once, newest first', async () => {
    const all = (await call(supervisor.cookie, 'GET', '/api/stock/movements?limit=200')).json()
      .items;
    expect(all.length).toBe(3); // three movements: two pages of two
    const paged: { id: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (
        await call(supervisor.cookie, 'GET', `/api/stock/movements?limit=2${query}`)
      ).json();
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map((m) => m.id)).toEqual(all.map((m: { id: string }) => m.id));
  });

  it('shows an officer their own holdings only', async () => {
    const holdings = (await call(officer.cookie, 'GET', '/api/stock')).json().items;
    expect(holdings.length).toBeGreaterThan(0);
    expect(holdings.every((h: { holderId: string }) => h.holderId === officer.id)).toBe(true);
  });
});

describe('the stock ledger', () => {
  it('never overdraws under concurrent hand-outs: what is missing becomes shortfalls', async () => {
    const poster = randomUUID();
    await call(supervisor.cookie, 'POST', '/api/materials', {
      id: poster,
      kind: 'poster',
      name: 'TAT poster',
      language: 'es',
      provider: 'Truckers Against Trafficking',
    });
    await call(supervisor.cookie, 'POST', '/api/stock/movements', {
      id: randomUUID(),
      materialId: poster,
      type: 'received',
      quantity: 25,
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(officer.cookie, 'POST', '/api/inspections', {
          id: randomUUID(),
          occurredAt: minutesAgo(1),
          level: 'III',
          materials: [{ materialId: poster, quantity: 2 }],
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const short = responses.reduce(
      (sum, r) =>
        sum + r.json().shortfalls.reduce((s: number, f: { quantity: number }) => s + f.quantity, 0),
      0,
    );
    expect(await stockOf(null, poster)).toBe(0);
    expect(short).toBe(40 - 25);
  });

  it('keeps every balance equal to the sum of its ledger entries', async () => {
    expect(await balancesOutOfStep(t.database.db, agencyId)).toEqual([]);
    const [ledger] = (
      await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from stock_ledger`)
    ).rows;
    expect(Number(ledger?.n)).toBeGreaterThan(10);
  });
});

describe('a closed initiative', () => {
  it('locks its records until a supervisor reopens it, all audited', async () => {
    const namingIt = {
      id: randomUUID(),
      occurredAt: minutesAgo(1),
      level: 'I',
      initiativeId,
    };
    expect((await call(officer.cookie, 'POST', '/api/inspections', namingIt)).statusCode).toBe(201);
    const created = (
      await call(officer.cookie, 'POST', '/api/inspections', {
        id: randomUUID(),
        occurredAt: minutesAgo(1),
        level: 'I',
      })
    ).json();
    const initiative = (
      await call(supervisor.cookie, 'GET', `/api/initiatives/${initiativeId}`)
    ).json();
    const closed = await call(supervisor.cookie, 'POST', `/api/initiatives/${initiativeId}/close`, {
      version: initiative.version,
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().status).toBe('closed');
    expect(
      (
        await call(officer.cookie, 'POST', `/api/initiatives/${initiativeId}/reopen`, {
          version: 2,
        })
      ).statusCode,
    ).toBe(403);

    const edit = await call(officer.cookie, 'PATCH', `/api/inspections/${created.id}`, {
      version: 1,
      notes: 'late',
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().detail).toContain('is closed');
    // A new record on its dates is still taken (an officer is never blocked) but counts toward
    // no initiative; naming the closed initiative is refused.
    const late = await call(officer.cookie, 'POST', '/api/inspections', {
      id: randomUUID(),
      occurredAt: minutesAgo(1),
      level: 'I',
    });
    expect(late.statusCode).toBe(201);
    expect(late.json().initiativeId).toBeNull();
    const named = await call(officer.cookie, 'POST', '/api/inspections', {
      id: randomUUID(),
      occurredAt: minutesAgo(1),
      level: 'I',
      initiativeId,
    });
    expect(named.statusCode).toBe(409);
    // A replay of a record made before the close still gets the stored record (an outbox
    // resending after a lost answer), though naming the initiative would now be refused.
    const replay = await call(officer.cookie, 'POST', '/api/inspections', namingIt);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ id: namingIt.id, initiativeId });

    const reopened = await call(
      supervisor.cookie,
      'POST',
      `/api/initiatives/${initiativeId}/reopen`,
      { version: closed.json().version },
    );
    expect(reopened.json().status).toBe('active');
    expect(
      (
        await call(officer.cookie, 'PATCH', `/api/inspections/${created.id}`, {
          version: 1,
          notes: 'late',
        })
      ).statusCode,
    ).toBe(200);
    const audit = await t.database.db.execute<{ action: string }>(
      sql`select action from audit_log where entity_id = ${initiativeId} order by id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'initiative.created',
      'initiative.closed',
      'initiative.reopened',
    ]);
  });

  it('draws on the store only when the agency’s stock policy allows it', async () => {
    const admin = await newUser(t.database.db, agencyId, { role: 'agency_admin' });
    const adminCookie = await t.signIn(admin.email);
    const setPolicy = (stockPolicy: object) =>
      call(adminCookie, 'PATCH', `/api/agencies/${agencyId}`, { stockPolicy });
    const changed = await setPolicy({ drawOnStore: false });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().stockPolicy).toEqual({ lowThreshold: 10, drawOnStore: false });
    expect(
      (
        await call(supervisor.cookie, 'POST', '/api/stock/movements', {
          id: randomUUID(),
          materialId: walletCard,
          type: 'received',
          quantity: 50,
        })
      ).statusCode,
    ).toBe(201);
    const officerHas = await stockOf(officer.id, walletCard);
    const storeHas = await stockOf(null, walletCard);
    const response = await call(officer.cookie, 'POST', '/api/inspections', {
      id: randomUUID(),
      occurredAt: minutesAgo(1),
      level: 'III',
      materials: [{ materialId: walletCard, quantity: officerHas + 3 }],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().shortfalls).toEqual([{ materialId: walletCard, quantity: 3 }]);
    expect(await stockOf(null, walletCard)).toBe(storeHas);
    expect(await stockOf(officer.id, walletCard)).toBe(0);

    const refused = await setPolicy({ lowThreshold: -1 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('stockPolicy.lowThreshold');
    expect((await setPolicy({ drawOnStore: true })).json().stockPolicy.drawOnStore).toBe(true);
  });
});
