import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client.ts';
import type { FieldRecordKind } from '#db/schema.ts';
import { createAgency } from '#server/features/agencies/agencies.service.ts';
import { loadDemo } from '#server/features/demo/demo.service.ts';
import { demoRecordId } from '#server/features/demo/demo-field-data.ts';
import { loadReferencePack } from '#server/features/statistics/statistics.service.ts';
import { balancesOutOfStep } from '#server/features/stock/stock.repository.ts';
import { type AgencyRows, agencyRows, changedAgencyTables } from './agency-rows.ts';
import { newAgency, newMaterial, newPlace, newUser } from './factories.ts';
import { milepost } from './processes.ts';
import { changedTables, countRows, type RowCounts } from './row-counts.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { createTestDatabase, testEngine } from './test-database.ts';

/**
 * A field record's id belongs to one agency and one kind of record (issue 13, item 2): an
 * officer of another agency, or of the same agency as another kind, who reuses an id gets a 409
 * naming `id` and touches nothing, on every path that makes records, even in a race.
 */

const kinds: FieldRecordKind[] = ['inspection', 'outreach_visit', 'activity'];
/** Milepost's own CSV of inspections, its columns that these files need. */
const importHeader = 'id,occurred_at,level,outreach_given,notes';
const paths: Record<FieldRecordKind, string> = {
  inspection: '/api/inspections',
  outreach_visit: '/api/outreach-visits',
  activity: '/api/activities',
};

interface Side {
  agencyId: string;
  slug: string;
  officer: { id: string; email: string; cookie: string };
  supervisor: { id: string; email: string; cookie: string };
  materialId: string;
  placeId: string;
}

let t: TestApp;
let holder: Side;
let intruder: Side;

async function call(
  cookie: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url,
    headers: { cookie, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** When these tests' records happened: one instant, so that a payload sent again is the same. */
const recently = new Date(Date.now() - 60_000).toISOString();

/** A new record's payload of the kind, with the side's material where the kind has any. */
function payloadOf(kind: FieldRecordKind, id: string, side: Side, quantity = 2) {
  const occurredAt = recently;
  const materials = [{ materialId: side.materialId, quantity }];
  if (kind === 'inspection')
    return { id, occurredAt, level: 'III', outreachGiven: true, materials, notes: 'holder' };
  if (kind === 'outreach_visit')
    return {
      id,
      occurredAt,
      placeId: side.placeId,
      reached: { drivers: 3, staff: 1, public: 0 },
      materials,
    };
  return { id, occurredAt, kind: 'media_contacts', count: 2 };
}

async function makeSide(): Promise<Side> {
  const agency = await newAgency(t.database.db);
  const officer = await newUser(t.database.db, agency.id, { role: 'officer' });
  const supervisor = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  const side = {
    agencyId: agency.id,
    slug: agency.slug,
    officer: { id: officer.id, email: officer.email, cookie: await t.signIn(officer.email) },
    supervisor: {
      id: supervisor.id,
      email: supervisor.email,
      cookie: await t.signIn(supervisor.email),
    },
    materialId: (await newMaterial(t.database.db, agency.id)).id,
    placeId: (await newPlace(t.database.db, agency.id)).id,
  };
  for (const movement of [
    { type: 'received', quantity: 1000 },
    { type: 'issued', quantity: 500, officerId: officer.id },
  ]) {
    const response = await call(side.supervisor.cookie, 'POST', '/api/stock/movements', {
      id: randomUUID(),
      materialId: side.materialId,
      ...movement,
    });
    expect(response.statusCode, response.body).toBe(201);
  }
  return side;
}

/** Everything a refused request must leave as it was: every table's rows, each side's own. */
async function snapshot(): Promise<{
  counts: RowCounts;
  holder: AgencyRows;
  intruder: AgencyRows;
}> {
  return {
    counts: await countRows(t.database.db),
    holder: await agencyRows(t.database.db, holder.agencyId),
    intruder: await agencyRows(t.database.db, intruder.agencyId),
  };
}

async function expectUnchanged(before: Awaited<ReturnType<typeof snapshot>>, label: string) {
  const after = await snapshot();
  expect(changedTables(before.counts, after.counts), label).toEqual([]);
  expect(changedAgencyTables(before.holder, after.holder), label).toEqual([]);
  expect(changedAgencyTables(before.intruder, after.intruder), label).toEqual([]);
}

function expectIdConflict(response: { statusCode: number; body: string }, label: string) {
  expect(response.statusCode, `${label}: ${response.body}`).toBe(409);
  const problem = JSON.parse(response.body);
  expect(problem.errors, label).toEqual([
    { field: 'id', message: 'is already used by a different record' },
  ]);
}

async function onHand(side: Side, holderId: string | null): Promise<number> {
  const response = await call(
    side.supervisor.cookie,
    'GET',
    `/api/stock?materialId=${side.materialId}`,
  );
  const row = response
    .json()
    .items.find((h: { holderId: string | null }) => h.holderId === holderId);
  return row?.onHand ?? 0;
}

beforeAll(async () => {
  t = await createTestApp();
  holder = await makeSide();
  intruder = await makeSide();
});
afterAll(() => t.close());

describe('a record id of another agency or another kind', () => {
  it('is the issue’s story: another agency’s activity, visit and delete leave the inspection, its lines and stock alone', async () => {
    const id = randomUUID();
    const created = await call(
      holder.officer.cookie,
      'POST',
      '/api/inspections',
      payloadOf('inspection', id, holder),
    );
    expect(created.statusCode, created.body).toBe(201);
    expect(await onHand(holder, holder.officer.id)).toBe(498);
    const before = await snapshot();

    expectIdConflict(
      await call(
        intruder.officer.cookie,
        'POST',
        '/api/activities',
        payloadOf('activity', id, intruder),
      ),
      'an activity under the inspection’s id',
    );
    for (const url of [
      `/api/activities/${id}`,
      `/api/outreach-visits/${id}`,
      `/api/inspections/${id}`,
    ]) {
      const deleted = await call(intruder.supervisor.cookie, 'DELETE', url, {
        version: 1,
        reason: 'entered by mistake',
      });
      expect(deleted.statusCode, `DELETE ${url}: ${deleted.body}`).toBe(404);
      expect((await call(intruder.supervisor.cookie, 'GET', url)).statusCode, url).toBe(404);
    }
    // The visit with the same material (the intruder's own of the same id would have been a 500).
    expectIdConflict(
      await call(
        intruder.officer.cookie,
        'POST',
        '/api/outreach-visits',
        payloadOf('outreach_visit', id, intruder),
      ),
      'a visit under the inspection’s id',
    );
    await expectUnchanged(before, 'after the intruder’s tries');
    expect(await onHand(holder, holder.officer.id)).toBe(498);
    const read = await call(holder.officer.cookie, 'GET', `/api/inspections/${id}`);
    expect(read.json()).toMatchObject({
      materials: [{ materialId: holder.materialId, quantity: 2 }],
      notes: 'holder',
      version: 1,
    });
    expect(await balancesOutOfStep(t.database.db, holder.agencyId)).toEqual([]);
  });

  it.each(kinds.flatMap((held) => kinds.map((asked) => [held, asked] as const)))(
    'refuses a %s’s id as a new %s, from another agency and from another kind of the same agency',
    async (held, asked) => {
      const id = randomUUID();
      const created = await call(
        holder.officer.cookie,
        'POST',
        paths[held],
        payloadOf(held, id, holder),
      );
      expect(created.statusCode, created.body).toBe(201);
      const before = await snapshot();
      expectIdConflict(
        await call(intruder.officer.cookie, 'POST', paths[asked], payloadOf(asked, id, intruder)),
        `another agency’s ${asked}`,
      );
      // The same payload as the holder's, sent by the other agency: still not a replay.
      if (asked === held) {
        expectIdConflict(
          await call(intruder.officer.cookie, 'POST', paths[asked], payloadOf(asked, id, holder)),
          `another agency’s copy of the ${held}`,
        );
      } else {
        expectIdConflict(
          await call(holder.supervisor.cookie, 'POST', paths[asked], payloadOf(asked, id, holder)),
          `the same agency’s ${asked}`,
        );
      }
      await expectUnchanged(before, `${held} held, ${asked} asked`);
      // The holder's own replay is still recognised.
      const replay = await call(
        holder.officer.cookie,
        'POST',
        paths[held],
        payloadOf(held, id, holder),
      );
      expect(replay.statusCode, replay.body).toBe(200);
      await expectUnchanged(before, 'after the replay');
    },
  );

  it('decides a race between two agencies for one id by its key: one wins, the other gets 409', async () => {
    for (const [first, second] of kinds.flatMap((a) => kinds.map((b) => [a, b] as const))) {
      for (let round = 0; round < 3; round++) {
        const id = randomUUID();
        const counts = await countRows(t.database.db);
        const answers = await Promise.all([
          call(holder.officer.cookie, 'POST', paths[first], payloadOf(first, id, holder, 1)),
          call(intruder.officer.cookie, 'POST', paths[second], payloadOf(second, id, intruder, 1)),
        ]);
        const label = `${first} against ${second}: ${answers.map((a) => a.body).join(' | ')}`;
        expect(answers.map((a) => a.statusCode).sort(), label).toEqual([201, 409]);
        const loser = answers.find((a) => a.statusCode === 409);
        if (loser) expectIdConflict(loser, label);
        const registered = await t.database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from field_records where id = ${id}`,
        );
        expect(Number(registered.rows[0]?.n), label).toBe(1);
        expect((await countRows(t.database.db)).field_records).toBe(
          (counts.field_records ?? 0) + 1,
        );
      }
    }
    expect(await balancesOutOfStep(t.database.db, holder.agencyId)).toEqual([]);
    expect(await balancesOutOfStep(t.database.db, intruder.agencyId)).toEqual([]);
  });

  it('lets one of two copies of the same request win, and answers the other with the record', async () => {
    for (const kind of kinds) {
      const id = randomUUID();
      const payload = payloadOf(kind, id, holder, 1);
      const answers = await Promise.all([
        call(holder.officer.cookie, 'POST', paths[kind], payload),
        call(holder.officer.cookie, 'POST', paths[kind], payload),
      ]);
      expect(answers.map((a) => a.statusCode).sort(), kind).toEqual([200, 201]);
      expect(answers[0]?.json().id).toBe(id);
      expect(answers[1]?.json()).toEqual(answers[0]?.json());
    }
  });
});

describe('the inspection import', () => {
  const header = importHeader;
  const line = (id: string, notes = '') => `${id},2026-02-10T15:00:00Z,III,true,${notes}`;
  const upload = (side: Side, csv: string, query = '') =>
    call(side.supervisor.cookie, 'POST', `/api/imports/inspections${query}`, csv, {
      'content-type': 'text/csv',
    });

  it('refuses rows whose id another agency holds, or another kind, naming each row’s id', async () => {
    const inspection = randomUUID();
    const activity = randomUUID();
    for (const [kind, id] of [
      ['inspection', inspection],
      ['activity', activity],
    ] as const) {
      const created = await call(
        holder.officer.cookie,
        'POST',
        paths[kind],
        payloadOf(kind, id, holder),
      );
      expect(created.statusCode, created.body).toBe(201);
    }
    const fresh = randomUUID();
    const csv = [header, line(fresh), line(inspection, 'taken'), line(activity, 'taken')].join(
      '\n',
    );
    let before = await snapshot();
    const refused = await upload(intruder, csv);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().errors).toEqual([
      { field: 'row 3: id', message: 'is already used by a different record' },
      { field: 'row 4: id', message: 'is already used by a different record' },
    ]);
    await expectUnchanged(before, 'a refused import');
    // The holder's own file: its inspection is already there, its activity is another kind.
    before = await snapshot();
    const own = await upload(holder, csv);
    expect(own.statusCode, own.body).toBe(409);
    expect(own.json().errors).toEqual([
      { field: 'row 4: id', message: 'is already used by a different record' },
    ]);
    await expectUnchanged(before, 'the holder’s refused import');

    const skipped = await upload(intruder, csv, '?skipInvalid=true');
    expect(skipped.statusCode, skipped.body).toBe(200);
    expect(skipped.json()).toMatchObject({
      added: 1,
      invalid: [
        { row: 3, errors: [{ field: 'id', message: 'is already used by a different record' }] },
        { row: 4, errors: [{ field: 'id', message: 'is already used by a different record' }] },
      ],
    });
    const read = await call(holder.officer.cookie, 'GET', `/api/inspections/${inspection}`);
    expect(read.json()).toMatchObject({ notes: 'holder', version: 1 });
    const added = await call(intruder.supervisor.cookie, 'GET', `/api/inspections/${fresh}`);
    expect(added.json()).toMatchObject({ agencyId: intruder.agencyId });
  });

  it('adds a row whose id the file repeats once, and counts the repeat unchanged', async () => {
    const id = randomUUID();
    const response = await upload(
      holder,
      [header, line(id, 'first'), line(id, 'again')].join('\n'),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ rows: 2, added: 1, unchanged: 1 });
    const read = await call(holder.supervisor.cookie, 'GET', `/api/inspections/${id}`);
    expect(read.json()).toMatchObject({ notes: 'first' });
  });

  it('loses no race with a create: one of them has the id, the other is refused', async () => {
    for (let round = 0; round < 3; round++) {
      const id = randomUUID();
      const [imported, created] = await Promise.all([
        upload(intruder, [header, line(id)].join('\n')),
        call(holder.officer.cookie, 'POST', '/api/activities', payloadOf('activity', id, holder)),
      ]);
      const label = `${imported.body} | ${created.body}`;
      // Exactly one of them has the id; the other is refused, naming it: the import before
      // it writes (a 409), or in the batch that would have added the row (its report lists it).
      const importWon = imported.statusCode === 200 && imported.json().added === 1;
      if (importWon) expect(created.statusCode, label).toBe(409);
      else {
        expect(created.statusCode, label).toBe(201);
        if (imported.statusCode === 200) {
          expect(imported.json(), label).toMatchObject({
            added: 0,
            invalid: [
              {
                row: 2,
                errors: [{ field: 'id', message: 'was taken by another record during the import' }],
              },
            ],
          });
        } else expect(imported.statusCode, label).toBe(409);
      }
      const holders = await t.database.db.execute<{ agency_id: string; kind: string }>(
        sql`select agency_id, kind from field_records where id = ${id}`,
      );
      expect(holders.rows, label).toHaveLength(1);
    }
  });
});

describe('the demo and the command line', () => {
  it('gives the demo’s records ids of their agency’s own, and refuses one that is taken', async () => {
    const database = await createTestDatabase();
    try {
      const demo = await createAgency(database.db, null, {
        slug: 'demo',
        name: 'Demo',
        kind: 'enforcement',
        country: 'US',
        region: 'MO',
        timeZone: 'America/Chicago',
        ori: null,
      });
      const other = await newAgency(database.db);
      expect(demoRecordId(demo.id, 1)).not.toBe(demoRecordId(other.id, 1));
      // Another agency holds the id the demo's first inspection takes.
      const taken = demoRecordId(demo.id, 1);
      await database.db.execute(sql`insert into field_records (id, agency_id, kind)
        values (${taken}, ${other.id}, 'activity')`);
      const before = await agencyRows(database.db, other.id);
      await expect(
        loadDemo(database.db, 'demo-password-milepost', Date.now()),
      ).rejects.toMatchObject({
        status: 409,
        fieldErrors: [{ field: 'id', message: 'is already used by a different record' }],
      });
      expect(changedAgencyTables(before, await agencyRows(database.db, other.id))).toEqual([]);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('refuses `milepost import inspections` a file naming another agency’s record, and imports nothing', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-ids-'));
    const server = testEngine() === 'postgres' ? await createTestDatabase() : undefined;
    try {
      const env = server ? { DATABASE_URL: server.url } : { MILEPOST_DATA_DIR: tmp };
      const handle =
        server ?? (await openDatabase({ engine: 'pglite', dataDir: tmp, command: 'test' }));
      let file: string;
      let slug: string;
      let before: RowCounts;
      try {
        if (!server) await handle.migrate();
        // Every command loads the reference statistics Milepost ships: loaded already, they
        // change nothing, and nothing else may change either.
        await loadReferencePack(handle.db);
        const owner = await newAgency(handle.db);
        const other = await newAgency(handle.db);
        // The command acts as the agency's supervisor.
        await newUser(handle.db, other.id, { role: 'supervisor' });
        const id = randomUUID();
        await handle.db.execute(sql`insert into field_records (id, agency_id, kind)
          values (${id}, ${owner.id}, 'outreach_visit')`);
        slug = other.slug;
        file = path.join(tmp, 'inspections.csv');
        fs.writeFileSync(file, [importHeader, `${id},2026-02-10T15:00:00Z,III,true,`].join('\n'));
        before = await countRows(handle.db);
      } finally {
        if (!server) await handle.close();
      }
      const run = milepost(['import', 'inspections', file, '--agency', slug], env);
      run.child.stdin?.end('');
      const { code } = await run.exited;
      expect(code, run.output()).not.toBe(0);
      expect(run.output()).toContain('row 2: id: is already used by a different record');
      const after =
        server ?? (await openDatabase({ engine: 'pglite', dataDir: tmp, command: 'test' }));
      try {
        expect(changedTables(before, await countRows(after.db))).toEqual([]);
      } finally {
        if (!server) await after.close();
      }
    } finally {
      await server?.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
