import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '#server/app.ts';
import { fieldNamesOf } from '#server/http/request-input.ts';
import { type Permission, type Role, roleHasPermission, roles } from '#shared/roles.ts';
import { newAgency, newRecord, newUser } from './factories.ts';
import { changedTables, countRows } from './row-counts.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * An edit naming a field its route does not know (a typo, a field of another version of the
 * app) is refused, naming the field, and writes nothing. Before, zod dropped the field and the
 * edit was answered 200 at a new version, with an audit entry, having changed nothing. Walked
 * over every PATCH and PUT of the route table.
 */

let t: TestApp;
let agencyId: string;
const cookies = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestApp();
  agencyId = (await newAgency(t.database.db)).id;
});
afterAll(() => t.close());

async function cookieOf(role: Role): Promise<string> {
  let cookie = cookies.get(role);
  if (!cookie) {
    const user = await newUser(t.database.db, agencyId, { role });
    cookie = await t.signIn(user.email);
    cookies.set(role, cookie);
  }
  return cookie;
}

/** A role that may call the route: the walk is of the body check, not of access. */
function roleFor(route: RouteAccess): Role {
  if (route.access === 'public' || route.access === 'signed-in') return 'supervisor';
  const role = roles.find((r) => roleHasPermission(r, route.access as Permission));
  if (!role) throw new Error(`no role may call ${route.method} ${route.url}`);
  return role;
}

function edits(): RouteAccess[] {
  return t.app.routeTable.filter(
    (route) =>
      (route.method === 'PATCH' || route.method === 'PUT') &&
      fieldNamesOf(route.schema.body) !== undefined,
  );
}

describe('an edit naming a field its route does not know', () => {
  it('walks every edit of the route table', () => {
    // The API's edits: records, places, initiatives and their narrative, users, the agency,
    // tips, a coordinator submission. Fewer would mean the walk lost its routes.
    expect(edits().length).toBeGreaterThanOrEqual(10);
  });

  it('is refused on every edit, naming the field, and writes nothing', async () => {
    for (const route of edits()) {
      const what = `${route.method} ${route.url}`;
      const url = route.url.replaceAll(/:[A-Za-z]+/g, () => randomUUID());
      const cookie = await cookieOf(roleFor(route));
      const before = await countRows(t.database.db);
      const response = await t.app.inject({
        method: route.method as 'PATCH' | 'PUT',
        url,
        headers: { cookie },
        payload: { nottes: 'a field of no route' },
      });
      expect(response.statusCode, what).toBe(400);
      expect(response.headers['content-type'], what).toMatch(/^application\/problem\+json/);
      expect(response.json().errors, what).toEqual([expect.objectContaining({ field: 'nottes' })]);
      expect(changedTables(before, await countRows(t.database.db)), what).toEqual([]);
    }
  });

  it('leaves a record at its version, with nothing in the audit log', async () => {
    const officer = await newUser(t.database.db, agencyId, { role: 'officer' });
    const record = await newRecord(t.database.db, 'inspection', agencyId, officer.id);
    const cookie = await t.signIn(officer.email);
    const before = await countRows(t.database.db);
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/inspections/${record.id}`,
      headers: { cookie },
      payload: { version: 1, nottes: 'Checked twice' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain('nottes');
    expect(changedTables(before, await countRows(t.database.db))).toEqual([]);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/inspections/${record.id}`,
      headers: { cookie },
    });
    expect(read.json()).toMatchObject({ version: 1, notes: '' });
  });
});
