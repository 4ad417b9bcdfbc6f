import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAgency, newInitiative, newUser } from './factories.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * A download must never look whole when it is not. A filter the database would refuse is
 * refused before the first byte (400); a failure after the first byte aborts the connection, so
 * the client sees a failed download, not a 200 whose body ends cleanly.
 */

let t: TestApp;
let supervisor: string;
let initiativeId: string;

/** The notes of the one record whose export fails, past the first page of 4,000. */
const faultyNotes = 'fault-injected-in-the-second-page';

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db);
  const user = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  supervisor = await t.signIn(user.email);
  const initiative = await newInitiative(t.database.db, agency.id, user.id, {
    startsOn: '2026-01-01',
    endsOn: '2026-03-31',
  });
  initiativeId = initiative.id;
  // 4,100 inspections, a minute apart, oldest first; the last one's notes make its export fail.
  // Each takes its id in the registry of record ids first, as every record does.
  await t.database.db.execute(sql`
    with numbered as (select gen_random_uuid() as id, n from generate_series(1, 4100) as n),
    registered as (
      insert into field_records (id, agency_id, kind)
      select id, ${agency.id}, 'inspection' from numbered
    )
    insert into inspections (id, agency_id, initiative_id, officer_id, occurred_at, local_date,
      level, outreach_given, notes, created_by, request_hash)
    select id, ${agency.id}, ${initiative.id}, ${user.id},
      timestamptz '2026-02-01 12:00:00+00' + n * interval '1 minute',
      date '2026-02-01' + (n / 1440), 'III', true,
      case when n = 4100 then ${faultyNotes} else '' end, ${user.id}, 'bulk'
    from numbered`);
  // The fault: csv_text, which every text cell of an export goes through, fails on that record.
  await t.database.db.execute(
    sql.raw(`create or replace function csv_text(value text) returns text
      language plpgsql immutable as $$
      begin
        if value = '${faultyNotes}' then raise exception 'injected export fault'; end if;
        return case when left(value, 1) in ('=', '+', '-', '@', E'\\t', E'\\r')
          then '''' || value else nullif(value, '') end;
      end $$`),
  );
});
afterAll(() => t.close());

const recordExports = [
  '/api/inspections/export.csv',
  '/api/outreach-visits/export.csv',
  '/api/activities/export.csv',
];

describe('exports', () => {
  it('refuses a filter the database cannot hold before the first byte, naming it', async () => {
    for (const path of recordExports) {
      for (const [query, field] of [
        ['from=0000-01-01', 'from'],
        ['to=10000-01-01', 'to'],
        ['initiativeId=not-a-uuid', 'initiativeId'],
        ['from=2026-01-01%00', 'from'],
      ] as const) {
        const response = await t.app.inject({
          method: 'GET',
          url: `${path}?${query}`,
          headers: { cookie: supervisor },
        });
        expect(response.statusCode, `${path}?${query}`).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    }
  });

  it('aborts the download when the export fails after its first page was sent', async () => {
    // The first 4,000 records go out before the failing one is read: a short file would look
    // whole to a spreadsheet. light-my-request rejects a response destroyed before its end.
    await expect(
      t.app.inject({
        method: 'GET',
        url: '/api/inspections/export.csv',
        headers: { cookie: supervisor },
      }),
    ).rejects.toThrow(/destroyed before completion/);
  });

  it('aborts the connection of a real client, which sees a failed download', async () => {
    // Closed with the app, after every test.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    for (const path of [
      '/api/inspections/export.csv',
      `/api/initiatives/${initiativeId}/report.zip`,
    ]) {
      const response = await fetch(`${address}${path}`, { headers: { cookie: supervisor } });
      // The status went out with the first page; the body must then fail, not end.
      expect(response.status, path).toBe(200);
      const reader = response.body?.getReader();
      if (!reader) throw new Error('no body');
      let received = 0;
      const read = async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return received;
          received += value.length;
        }
      };
      await expect(read(), path).rejects.toThrow();
      expect(received, path).toBeGreaterThan(0);
    }
  });

  it('answers a failure within the first page with an error, not the start of a file', async () => {
    const first = sql`(select id from inspections order by occurred_at limit 1)`;
    await t.database.db.execute(
      sql`update inspections set notes = ${faultyNotes} where id = ${first}`,
    );
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/inspections/export.csv',
      headers: { cookie: supervisor },
    });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('exports whole when nothing fails', async () => {
    await t.database.db.execute(
      sql`update inspections set notes = '' where notes = ${faultyNotes}`,
    );
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/inspections/export.csv',
      headers: { cookie: supervisor },
    });
    expect(response.statusCode).toBe(200);
    // A header and 4,100 records.
    expect(response.body.trimEnd().split('\n')).toHaveLength(4101);
  });
});
