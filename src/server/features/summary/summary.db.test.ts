import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redFlagCodes } from '#shared/catalogues/field.ts';
import { pickWith, seededRandom } from '#shared/random.ts';
import { newAgency, newMaterial, newPlace, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

/**
 * The summary against an independent count: records are generated here with a seeded random
 * source, counted here in plain TypeScript, and the two must agree to the unit, on either engine.
 */

let t: TestApp;
let supervisor: string;
let initiativeId: string;
const expected = {
  inspections: 0,
  withOutreach: 0,
  withRedFlags: 0,
  referrals: 0,
  visits: 0,
  people: 0,
  places: new Set<string>(),
  byKind: { wallet_card: 0, window_decal: 0, poster: 0 } as Record<string, number>,
  activities: {} as Record<string, number>,
  byDay: new Map<string, number>(),
  byFlag: new Map<string, number>(),
};

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db, { timeZone: 'America/Chicago' });
  const supervisorUser = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  supervisor = await t.signIn(supervisorUser.email);
  const officers = await Promise.all([0, 1, 2].map(() => newUser(t.database.db, agency.id)));
  const places = await Promise.all([0, 1, 2, 3].map(() => newPlace(t.database.db, agency.id)));
  const materials = await Promise.all(
    (['wallet_card', 'window_decal', 'poster'] as const).map((kind) =>
      newMaterial(t.database.db, agency.id, { kind }),
    ),
  );
  initiativeId = randomUUID();
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/initiatives',
    headers: { cookie: supervisor },
    payload: {
      id: initiativeId,
      name: 'Generated week',
      startsOn: '2026-01-05',
      endsOn: '2026-01-09',
      goals: { inspections: 50 },
    },
  });
  expect(created.statusCode).toBe(201);

  const next = seededRandom(20260105);
  const pick = <T>(list: readonly T[]): T => pickWith(next, list);
  const post = async (url: string, payload: object) => {
    const response = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: supervisor },
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  for (let n = 0; n < 120; n++) {
    // Days 4 to 10 of January: the first and last fall outside the initiative.
    const day = 4 + Math.floor(next() * 7);
    const localDate = `2026-01-${String(day).padStart(2, '0')}`;
    // Late evening in Chicago is the next day in UTC: local dates must follow the agency's zone.
    const occurredAt = `${localDate}T${pick(['08:15', '13:40', '23:30'])}:00-06:00`;
    const inWeek = day >= 5 && day <= 9;
    const officerId = pick(officers).id;
    const placeId = next() < 0.7 ? pick(places).id : null;
    const lines = materials
      .filter(() => next() < 0.4)
      .map((m) => ({ material: m, quantity: 1 + Math.floor(next() * 5) }));
    const roll = next();
    if (roll < 0.6) {
      const flags = redFlagCodes.filter(() => next() < 0.08);
      const action = pick(['none', 'none', 'none', 'hotline_called', '911_called'] as const);
      const outreachGiven = next() < 0.8;
      const record = await post('/api/inspections', {
        id: randomUUID(),
        occurredAt,
        officerId,
        placeId,
        level: pick(['I', 'II', 'III']),
        outreachGiven,
        redFlags: flags,
        action,
        materials: lines.map((l) => ({ materialId: l.material.id, quantity: l.quantity })),
      });
      // One in ten is deleted again and must not count.
      if (next() < 0.1) {
        const deleted = await t.app.inject({
          method: 'DELETE',
          url: `/api/inspections/${record.id}`,
          headers: { cookie: supervisor },
          payload: { version: 1, reason: 'generated mistake' },
        });
        expect(deleted.statusCode).toBe(200);
        continue;
      }
      if (!inWeek) continue;
      expected.inspections += 1;
      if (outreachGiven) expected.withOutreach += 1;
      if (flags.length > 0) expected.withRedFlags += 1;
      if (action !== 'none') expected.referrals += 1;
      for (const flag of flags) expected.byFlag.set(flag, (expected.byFlag.get(flag) ?? 0) + 1);
    } else if (roll < 0.85) {
      const reached = {
        drivers: Math.floor(next() * 10),
        staff: Math.floor(next() * 3),
        public: Math.floor(next() * 4),
      };
      await post('/api/outreach-visits', {
        id: randomUUID(),
        occurredAt,
        officerId,
        placeId,
        reached,
        materials: lines.map((l) => ({ materialId: l.material.id, quantity: l.quantity })),
      });
      if (!inWeek) continue;
      expected.visits += 1;
      expected.people += reached.drivers + reached.staff + reached.public;
      if (placeId) expected.places.add(placeId);
    } else {
      const kind = pick(['presentations', 'media_contacts', 'social_posts'] as const);
      const count = 1 + Math.floor(next() * 3);
      await post('/api/activities', { id: randomUUID(), occurredAt, officerId, kind, count });
      if (inWeek) expected.activities[kind] = (expected.activities[kind] ?? 0) + count;
      continue;
    }
    for (const line of lines) {
      expected.byKind[line.material.kind] =
        (expected.byKind[line.material.kind] ?? 0) + line.quantity;
    }
    expected.byDay.set(localDate, (expected.byDay.get(localDate) ?? 0) + 1);
  }
}, 120_000);
afterAll(() => t.close());

describe('initiative summary', () => {
  it('agrees with an independent count of the generated records', async () => {
    const response = await t.app.inject({
      url: `/api/initiatives/${initiativeId}/summary`,
      headers: { cookie: supervisor },
    });
    expect(response.statusCode).toBe(200);
    const summary = response.json();
    const materialsTotal = Object.values(expected.byKind).reduce((a, b) => a + b, 0);
    expect(summary.totals).toMatchObject({
      inspections: expected.inspections,
      inspections_with_outreach: expected.withOutreach,
      red_flag_observations: expected.withRedFlags,
      referrals: expected.referrals,
      outreach_visits: expected.visits,
      people_reached: expected.people,
      places_visited: expected.places.size,
      wallet_cards: expected.byKind.wallet_card,
      window_decals: expected.byKind.window_decal,
      posters: expected.byKind.poster,
      materials_handed_out: materialsTotal,
      presentations: expected.activities.presentations ?? 0,
      media_contacts: expected.activities.media_contacts ?? 0,
      social_posts: expected.activities.social_posts ?? 0,
    });
    expect(summary.goals).toEqual([
      {
        metric: 'inspections',
        goal: 50,
        actual: expected.inspections,
        progress: expected.inspections / 50,
      },
    ]);
    const recordsByDay = Object.fromEntries(
      summary.byDay.map((d: { date: string; inspections: number; outreachVisits: number }) => [
        d.date,
        d.inspections + d.outreachVisits,
      ]),
    );
    expect(recordsByDay).toEqual(
      Object.fromEntries(
        [...expected.byDay].filter(([d]) => d >= '2026-01-05' && d <= '2026-01-09'),
      ),
    );
    expect(
      Object.fromEntries(
        summary.byRedFlag.map((f: { code: string; count: number }) => [f.code, f.count]),
      ),
    ).toEqual(Object.fromEntries(expected.byFlag));
    const officerTotal = summary.byOfficer.reduce(
      (sum: number, o: { inspections: number }) => sum + o.inspections,
      0,
    );
    expect(officerTotal).toBe(expected.inspections);
  });

  it('gives the same totals for the initiative’s date range', async () => {
    const [byInitiative, byRange] = await Promise.all([
      t.app.inject({
        url: `/api/initiatives/${initiativeId}/summary`,
        headers: { cookie: supervisor },
      }),
      t.app.inject({
        url: '/api/summary?from=2026-01-05&to=2026-01-09',
        headers: { cookie: supervisor },
      }),
    ]);
    expect(byRange.json().totals).toEqual(byInitiative.json().totals);
  });

  it('keeps its running counts equal to the records through edits, moves and deletes', async () => {
    const request = async (method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
      const response = await t.app.inject({
        method,
        url,
        headers: { cookie: supervisor },
        ...(payload ? { payload } : {}),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const inspections = (await request('GET', `/api/inspections?initiativeId=${initiativeId}`))
      .items;
    const visits = (await request('GET', `/api/outreach-visits?initiativeId=${initiativeId}`))
      .items;
    const activities = (await request('GET', `/api/activities?initiativeId=${initiativeId}`)).items;
    // Moved to another day and out of the week, materials replaced, flags and action changed.
    const [moved, outOfWeek, reflagged] = inspections;
    await request('PATCH', `/api/inspections/${moved.id}`, {
      version: moved.version,
      occurredAt: '2026-01-07T10:00:00-06:00',
      materials: [],
    });
    await request('PATCH', `/api/inspections/${outOfWeek.id}`, {
      version: outOfWeek.version,
      occurredAt: '2026-01-12T10:00:00-06:00',
    });
    await request('PATCH', `/api/inspections/${reflagged.id}`, {
      version: reflagged.version,
      redFlags: ['lot_drop_off'],
      action: 'hotline_called',
      outreachGiven: !reflagged.outreachGiven,
    });
    // Another officer, another place, more people reached; and a deleted visit.
    const [reassigned, removed] = visits;
    const officers = inspections.map((i: { officerId: string }) => i.officerId);
    await request('PATCH', `/api/outreach-visits/${reassigned.id}`, {
      version: reassigned.version,
      officerId: officers.find((id: string) => id !== reassigned.officerId),
      placeId: null,
      reached: { drivers: 40, staff: 2, public: 0 },
    });
    await request('DELETE', `/api/outreach-visits/${removed.id}`, {
      version: removed.version,
      reason: 'logged twice',
    });
    await request('PATCH', `/api/activities/${activities[0].id}`, {
      version: activities[0].version,
      count: 9,
    });

    // The same keys, counted straight from the records by hand-written queries.
    const counted = await t.database.db.execute<{ entry: string }>(sql`
      with live_inspections as (select * from inspections where deleted_at is null),
      live_visits as (select * from outreach_visits where deleted_at is null),
      counts as (
        select 'inspections' as metric, source as detail, local_date, officer_id, place_id, initiative_id, count(*) as value
          from live_inspections group by 2, 3, 4, 5, 6
        union all
        select 'red_flag', flag, local_date, officer_id, place_id, initiative_id, count(*)
          from live_inspections, unnest(red_flags) flag group by 2, 3, 4, 5, 6
        union all
        select 'referrals', '', local_date, officer_id, place_id, initiative_id, count(*)
          from live_inspections where action <> 'none' group by 3, 4, 5, 6
        union all
        select 'inspections_with_outreach', '', local_date, officer_id, place_id, initiative_id, count(*)
          from live_inspections where outreach_given group by 3, 4, 5, 6
        union all
        select 'outreach_visits', '', local_date, officer_id, place_id, initiative_id, count(*)
          from live_visits group by 3, 4, 5, 6
        union all
        select 'people_reached', '', local_date, officer_id, place_id, initiative_id,
            sum(reached_drivers + reached_staff + reached_public)
          from live_visits group by 3, 4, 5, 6
          having sum(reached_drivers + reached_staff + reached_public) > 0
        union all
        select 'activity', kind, local_date, officer_id, place_id, initiative_id, sum(count)
          from activities where deleted_at is null group by 2, 3, 4, 5, 6
        union all
        select 'material', rm.material_id::text, r.local_date, r.officer_id, r.place_id, r.initiative_id, sum(rm.quantity)
          from (select id, local_date, officer_id, place_id, initiative_id from live_inspections
                union all select id, local_date, officer_id, place_id, initiative_id from live_visits) r
          join record_materials rm on rm.record_id = r.id group by 2, 3, 4, 5, 6
      )
      select concat_ws('|', metric, detail, local_date, officer_id, place_id, initiative_id, value) as entry
      from counts order by entry`);
    const tallied = await t.database.db.execute<{ entry: string }>(sql`
      select concat_ws('|', metric, detail, local_date, officer_id, place_id, initiative_id, value) as entry
      from record_tallies
      where value <> 0 and metric in ('inspections', 'red_flag', 'referrals', 'inspections_with_outreach',
        'outreach_visits', 'people_reached', 'activity', 'material')
      order by entry`);
    expect(counted.rows.length).toBeGreaterThan(50);
    expect(tallied.rows.map((r) => r.entry)).toEqual(counted.rows.map((r) => r.entry));
  });
});
