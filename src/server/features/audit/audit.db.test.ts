import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '#db/schema.ts';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Page = { items: { id: string }[]; nextCursor: string | null };

/** The database's own message for a refused statement (Drizzle wraps it as the cause). */
async function causeOf(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? String(error);
  }
  return 'not refused';
}

describe('audit log', () => {
  it('refuses UPDATE, DELETE and TRUNCATE through the application’s connection', async () => {
    const agency = await newAgency(t.database.db);
    const user = await newUser(t.database.db, agency.id);
    await t.signIn(user.email);
    const [before] = await t.database.db.select().from(auditLog).limit(1);
    expect(before).toBeDefined();

    const refusals = await Promise.all([
      causeOf(
        t.database.db.execute(sql`update audit_log set action = 'x' where id = ${before?.id}`),
      ),
      causeOf(t.database.db.update(auditLog).set({ action: 'tampered' })),
      causeOf(t.database.db.execute(sql`delete from audit_log`)),
      causeOf(t.database.db.execute(sql`truncate audit_log`)),
    ]);
    expect(refusals).toEqual([
      'audit_log is append-only: UPDATE refused',
      'audit_log is append-only: UPDATE refused',
      'audit_log is append-only: DELETE refused',
      'audit_log is append-only: TRUNCATE refused',
    ]);

    const [after] = await t.database.db.select().from(auditLog).where(sql`id = ${before?.id}`);
    expect(after).toEqual(before);
  });

  it('shows an agency administrator their own agency only, filtered and paged', async () => {
    const mine = await newAgency(t.database.db);
    const theirs = await newAgency(t.database.db);
    const admin = await newUser(t.database.db, mine.id, { role: 'agency_admin' });
    const colleague = await newUser(t.database.db, mine.id);
    const stranger = await newUser(t.database.db, theirs.id);
    for (let i = 0; i < 3; i++) await t.signIn(colleague.email);
    await t.signIn(stranger.email);
    const cookie = await t.signIn(admin.email);

    const all = await t.app.inject({ url: '/api/audit?limit=200', headers: { cookie } });
    expect(all.statusCode).toBe(200);
    const agencies = new Set(all.json().items.map((e: { agencyId: string }) => e.agencyId));
    expect([...agencies]).toEqual([mine.id]);

    // Another agency's log is not reachable by naming it.
    const other = await t.app.inject({
      url: `/api/audit?agencyId=${theirs.id}`,
      headers: { cookie },
    });
    expect(other.json().items.every((e: { agencyId: string }) => e.agencyId === mine.id)).toBe(
      true,
    );

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json(): Page } = await t.app.inject({
        url: `/api/audit?actorId=${colleague.id}&action=auth.signed_in&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { cookie },
      });
      const body = page.json();
      ids.push(...body.items.map((e: { id: string }) => e.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(3);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => b - a));

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await t.app.inject({
      url: `/api/audit?from=${encodeURIComponent(future)}`,
      headers: { cookie },
    });
    expect(none.json().items).toEqual([]);

    const bad = await t.app.inject({ url: '/api/audit?from=yesterday', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('from');
  });
});
