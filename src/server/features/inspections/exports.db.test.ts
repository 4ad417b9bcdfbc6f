import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '#server/context.ts';
import { exportRecordsCsv } from '#server/records/field-records.service.ts';
import { newAgency, newMaterial, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { inspectionKind } from './inspections.routes.ts';

let t: TestApp;
let supervisor: string;
let supervisorContext: RequestContext;
let officers: { id: string; cookie: string }[];

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db);
  const material = await newMaterial(t.database.db, agency.id, { name: 'Wallet card' });
  const supervisorUser = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  supervisor = await t.signIn(supervisorUser.email);
  supervisorContext = {
    actor: {
      userId: supervisorUser.id,
      agencyId: agency.id,
      role: 'supervisor',
      sessionId: 'test',
    },
    ip: null,
    userAgent: null,
    requestId: 'test',
  };
  officers = [];
  for (let i = 0; i < 2; i++) {
    const user = await newUser(t.database.db, agency.id, {
      role: 'officer',
      displayName: `Officer ${i}`,
    });
    officers.push({ id: user.id, cookie: await t.signIn(user.email) });
  }
  // 3 inspections a day for two days by the first officer, 2 by the second on the second day.
  const log = async (cookie: string, occurredAt: string, notes = '') => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/inspections',
      headers: { cookie },
      payload: {
        id: randomUUID(),
        occurredAt,
        level: 'III',
        notes,
        materials: [{ materialId: material.id, quantity: 2 }],
      },
    });
    expect(response.statusCode).toBe(201);
  };
  const [first, second] = [officer(0), officer(1)];
  for (const hour of [14, 15, 16]) {
    await log(first.cookie, `2026-03-02T${hour}:00:00-06:00`);
    await log(
      first.cookie,
      `2026-03-03T${hour}:00:00-06:00`,
      hour === 14
        ? '=HYPERLINK("http://evil.example","x")'
        : hour === 15
          ? 'Driver said "no, thanks";\nleft at 3, west'
          : '',
    );
  }
  await log(second.cookie, '2026-03-03T10:00:00-06:00');
  await log(second.cookie, '2026-03-03T11:00:00-06:00');
});
afterAll(() => t.close());

function officer(index: number) {
  const found = officers[index];
  if (!found) throw new Error(`no officer ${index}`);
  return found;
}

async function exportCsv(cookie: string, query: string) {
  const response = await t.app.inject({
    url: `/api/inspections/export.csv${query}`,
    headers: { cookie },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/csv');
  expect(response.headers['content-disposition']).toMatch(/^attachment; filename="inspections-/);
  return parse(response.body, { columns: true, bom: true }) as Record<string, string>[];
}

async function listAll(cookie: string, query: string) {
  const response = await t.app.inject({
    url: `/api/inspections?limit=200${query}`,
    headers: { cookie },
  });
  return response.json().items as { id: string }[];
}

describe('CSV exports', () => {
  it('read page after page, each record once, however many pages it takes', async () => {
    const stream = await exportRecordsCsv(
      t.database.db,
      supervisorContext,
      inspectionKind,
      { includeDeleted: false },
      3,
    );
    let text = '';
    for await (const chunk of stream) text += chunk;
    const rows = parse(text, { columns: true, bom: true }) as { id: string }[];
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.id)).size).toBe(8);
  });

  it.each([
    ['', 8],
    ['?from=2026-03-03&to=2026-03-03', 5],
    ['?from=2026-03-02&to=2026-03-02', 3],
  ])('hold exactly the records the list holds, with the filter %j', async (query, expected) => {
    const rows = await exportCsv(supervisor, query);
    const listed = await listAll(supervisor, query ? `&${query.slice(1)}` : '');
    expect(rows).toHaveLength(expected);
    expect(rows.map((r) => r.id).sort()).toEqual(listed.map((r) => r.id).sort());
  });

  it('filter by officer, and give an officer their own records only', async () => {
    const [first, second] = officers as [
      { id: string; cookie: string },
      { id: string; cookie: string },
    ];
    expect(await exportCsv(supervisor, `?officerId=${second.id}`)).toHaveLength(2);
    const own = await exportCsv(second.cookie, '');
    expect(own).toHaveLength(2);
    expect(new Set(own.map((r) => r.officer))).toEqual(new Set(['Officer 1']));
    const refused = await t.app.inject({
      url: `/api/inspections/export.csv?officerId=${first.id}`,
      headers: { cookie: second.cookie },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('neutralise spreadsheet formulas and name the material', async () => {
    const rows = await exportCsv(supervisor, '?from=2026-03-03&to=2026-03-03');
    const tricky = rows.find((r) => r.notes?.includes('HYPERLINK'));
    expect(tricky?.notes).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(tricky?.materials).toBe('Wallet card (en) × 2');
    expect(tricky?.local_date).toBe('2026-03-03');
    expect(rows.map((r) => r.notes)).toContain('Driver said "no, thanks";\nleft at 3, west');
    expect(rows.filter((r) => r.notes === '')).toHaveLength(3);
  });
});
