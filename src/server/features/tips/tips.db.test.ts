import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecrets } from '#server/secrets.ts';
import type { TipContent } from '#shared/contracts/tips.ts';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { testSecrets } from '#test/test-secrets.ts';
import type { AgencyRow } from '../agencies/agencies.repository.ts';
import { purgeClosedTips, resealTips, submitPublicTip } from './tips.service.ts';

let t: TestApp;
let agency: AgencyRow;
const cookies: Record<'officer' | 'supervisor' | 'investigator' | 'analyst' | 'admin', string> = {
  officer: '',
  supervisor: '',
  investigator: '',
  analyst: '',
  admin: '',
};
let investigatorId: string;
let otherSupervisor: string;

const content = (narrative: string): TipContent => ({
  whereText: 'West lot',
  position: null,
  vehicles: [],
  people: 'Two young women',
  narrative,
  contact: '816-555-0142',
  contactSafe: 'yes',
});

async function newTip(narrative = `Seen at the pumps ${randomUUID()}`) {
  const receipt = await submitPublicTip(
    t.database.db,
    testSecrets,
    agency,
    {
      redFlags: ['lot_drop_off'],
      placeId: null,
      seenOn: '2026-11-20',
      seenTime: null,
      language: 'en',
      content: content(narrative),
    },
    'test',
  );
  const [row] = (
    await t.database.db.execute<{ id: string }>(
      sql`select id from tips where receipt_code = ${receipt.receiptCode.replaceAll('-', '')}`,
    )
  ).rows;
  if (!row) throw new Error('no tip');
  return { id: row.id, narrative, ...receipt };
}

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

async function auditOf(entityId: string) {
  return (
    await t.database.db.execute<{ action: string; actor_id: string | null; after: unknown }>(
      sql`select action, actor_id, after from audit_log where entity_id = ${entityId} order by id`,
    )
  ).rows;
}

beforeAll(async () => {
  t = await createTestApp();
  agency = await newAgency(t.database.db);
  for (const role of Object.keys(cookies) as (keyof typeof cookies)[]) {
    const user = await newUser(t.database.db, agency.id, { role });
    cookies[role] = await t.signIn(user.email);
    if (role === 'investigator') investigatorId = user.id;
  }
  const elsewhere = await newAgency(t.database.db);
  const other = await newUser(t.database.db, elsewhere.id, { role: 'supervisor' });
  otherSupervisor = await t.signIn(other.email);
});
afterAll(() => t.close());

describe('the tip queue', () => {
  it('is for the agency’s supervisors and investigators; anyone else is refused, and audited', async () => {
    const tip = await newTip();
    for (const role of ['supervisor', 'investigator'] as const) {
      const list = await call(cookies[role], 'GET', '/api/tips');
      expect(list.statusCode, role).toBe(200);
      expect(list.json().items.map((i: { id: string }) => i.id)).toContain(tip.id);
      // The list says what a tip is about, never what it says.
      expect(list.body).not.toContain(tip.narrative);
    }
    for (const role of ['officer', 'analyst', 'admin'] as const) {
      const refused = await call(cookies[role], 'GET', `/api/tips/${tip.id}`);
      expect(refused.statusCode, role).toBe(403);
      expect(refused.body).not.toContain(tip.narrative);
    }
    const refusals = (await auditOf(tip.id)).filter((e) => e.action === 'tip.access_refused');
    expect(refusals).toHaveLength(3);
    const fromOtherAgency = await call(otherSupervisor, 'GET', `/api/tips/${tip.id}`);
    expect(fromOtherAgency.statusCode).toBe(404);
  });

  it('opens a tip for those who may read it, every reading in the audit log', async () => {
    const tip = await newTip();
    const read = await call(cookies.investigator, 'GET', `/api/tips/${tip.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      source: 'public',
      status: 'new',
      redFlags: ['lot_drop_off'],
      content: { narrative: tip.narrative, contact: '816-555-0142' },
    });
    await call(cookies.supervisor, 'GET', `/api/tips/${tip.id}`);
    const views = (await auditOf(tip.id)).filter((e) => e.action === 'tip.viewed');
    expect(views).toHaveLength(2);
    expect(JSON.stringify(await auditOf(tip.id))).not.toContain(tip.narrative);
  });

  it('moves a tip through review, referral and closing, at the version read', async () => {
    const tip = await newTip();
    const review = await call(cookies.supervisor, 'PATCH', `/api/tips/${tip.id}`, {
      version: 1,
      status: 'in_review',
      assignedTo: investigatorId,
    });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({ status: 'in_review', assignedTo: investigatorId });
    const stale = await call(cookies.supervisor, 'PATCH', `/api/tips/${tip.id}`, {
      version: 1,
      status: 'new',
    });
    expect(stale.statusCode).toBe(409);
    const notTriager = await call(cookies.supervisor, 'PATCH', `/api/tips/${tip.id}`, {
      version: 2,
      assignedTo: (await newUser(t.database.db, agency.id, { role: 'officer' })).id,
    });
    expect(notTriager.statusCode).toBe(400);
    expect(notTriager.json().errors[0].field).toBe('assignedTo');

    const note = await call(cookies.investigator, 'POST', `/api/tips/${tip.id}/notes`, {
      text: 'Called the truck-stop manager; cameras cover the west lot.',
    });
    expect(note.statusCode).toBe(204);
    const ahead = await call(cookies.investigator, 'POST', `/api/tips/${tip.id}/referrals`, {
      recipient: 'hotline',
      recipientName: 'National Human Trafficking Hotline',
      shared: 'Red flags and place.',
      referredAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().errors).toEqual([
      { field: 'referredAt', message: 'must not be in the future' },
    ]);
    const referred = await call(cookies.investigator, 'POST', `/api/tips/${tip.id}/referrals`, {
      recipient: 'hotline',
      recipientName: 'National Human Trafficking Hotline',
      shared: 'Red flags, place, time and the vehicle; not the sender’s number.',
    });
    expect(referred.statusCode, referred.body).toBe(200);
    expect(referred.json().status).toBe('referred');

    const pdf = await call(cookies.investigator, 'GET', `/api/tips/${tip.id}/referral.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers['cache-control']).toBe('no-store');

    const closeWithout = await call(cookies.supervisor, 'PATCH', `/api/tips/${tip.id}`, {
      version: 3,
      status: 'closed',
    });
    expect(closeWithout.statusCode).toBe(400);
    expect(closeWithout.json().errors[0].field).toBe('outcome');
    const closed = await call(cookies.supervisor, 'PATCH', `/api/tips/${tip.id}`, {
      version: 3,
      status: 'closed',
      outcome: 'acted_on',
    });
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'acted_on' });
    expect(closed.json().closedAt).not.toBeNull();
    const lateReferral = await call(cookies.supervisor, 'POST', `/api/tips/${tip.id}/referrals`, {
      recipient: 'investigators',
      recipientName: 'KCPD Vice',
      shared: 'Everything',
    });
    expect(lateReferral.statusCode).toBe(409);

    const whole = (await call(cookies.supervisor, 'GET', `/api/tips/${tip.id}`)).json();
    expect(whole.notes).toMatchObject([{ text: expect.stringContaining('cameras') }]);
    expect(whole.referrals).toMatchObject([
      { recipient: 'hotline', shared: expect.stringContaining('not the sender') },
    ]);
    expect((await auditOf(tip.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'tip.received',
        'tip.updated',
        'tip.note_added',
        'tip.referred',
        'tip.exported',
      ]),
    );
    expect(JSON.stringify(await auditOf(tip.id))).not.toContain('cameras cover');
  });

  it('holds an officer’s flagged inspection, linked to it, and none that is not flagged', async () => {
    const officer = await newUser(t.database.db, agency.id, { role: 'officer' });
    const cookie = await t.signIn(officer.email);
    const inspection = (flags: string[], action = 'none') => ({
      id: randomUUID(),
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      level: 'III',
      redFlags: flags,
      action,
      notes: 'Passenger did not know where she was.',
    });
    const flagged = inspection(['unaware_of_location'], 'hotline_called');
    const plain = inspection([]);
    expect((await call(cookie, 'POST', '/api/inspections', flagged)).statusCode).toBe(201);
    expect((await call(cookie, 'POST', '/api/inspections', plain)).statusCode).toBe(201);
    const queue = (await call(cookies.supervisor, 'GET', '/api/tips?source=inspection')).json();
    const entry = queue.items.find((i: { inspectionId: string }) => i.inspectionId === flagged.id);
    expect(entry).toMatchObject({
      source: 'inspection',
      redFlags: ['unaware_of_location'],
      action: 'hotline_called',
      receiptCode: null,
    });
    expect(queue.items.some((i: { inspectionId: string }) => i.inspectionId === plain.id)).toBe(
      false,
    );
    // An edit that flags the other one brings it in, once.
    for (const version of [1, 2]) {
      await call(cookie, 'PATCH', `/api/inspections/${plain.id}`, {
        version,
        redFlags: version === 1 ? ['fearful_submissive'] : ['fearful_submissive', 'other'],
      });
    }
    const after = (await call(cookies.supervisor, 'GET', '/api/tips?source=inspection')).json();
    expect(
      after.items.filter((i: { inspectionId: string }) => i.inspectionId === plain.id),
    ).toHaveLength(1);
    const opened = (await call(cookies.supervisor, 'GET', `/api/tips/${entry.id}`)).json();
    expect(opened.inspection).toMatchObject({ notes: 'Passenger did not know where she was.' });
    expect(opened.content).toBeNull();
  });
});

describe('tips at rest', () => {
  it('hold no tip content in the clear, and a sealed value moved to another tip does not open', async () => {
    const first = await newTip('unique-words-of-the-first-tip');
    const second = await newTip();
    const dump = await t.database.db.execute(
      sql`select (select json_agg(x) from tips x)::text as tips, (select json_agg(a) from audit_log a)::text as audit`,
    );
    expect(JSON.stringify(dump.rows)).not.toContain('unique-words-of-the-first-tip');
    expect(JSON.stringify(dump.rows)).not.toContain('816-555-0142');
    await t.database.db.execute(
      sql`update tips set content = (select content from tips where id = ${first.id}) where id = ${second.id}`,
    );
    const moved = await call(cookies.supervisor, 'GET', `/api/tips/${second.id}`);
    expect(moved.statusCode).toBe(500);
  });

  it('are sealed anew under a new key, after which the old key may go', async () => {
    const tip = await newTip('words-sealed-before-the-rotation');
    await call(cookies.supervisor, 'POST', `/api/tips/${tip.id}/notes`, { text: 'A note.' });
    const newKey = Buffer.alloc(32, 9);
    const ring = createSecrets([newKey, Buffer.alloc(32, 7)]);
    const { resealed, unopenable } = await resealTips(t.database.db, ring, {
      ip: null,
      userAgent: 'test',
      requestId: 'test',
    });
    expect(resealed).toBeGreaterThanOrEqual(2);
    // What no key opens (the tip altered by the test before) is left, and named.
    const stale = await t.database.db.execute<{ id: string }>(
      sql`select id from tips where content not like ${`m1.${ring.currentKeyId}.%`}`,
    );
    expect(stale.rows.map((r) => ({ table: 'tips', id: r.id }))).toEqual(unopenable);
    expect(unopenable.map((u) => u.id)).not.toContain(tip.id);
    // The new key alone opens every tip now.
    const onlyNew = createSecrets([newKey]);
    const [row] = (
      await t.database.db.execute<{ content: string }>(
        sql`select content from tips where id = ${tip.id}`,
      )
    ).rows;
    expect(onlyNew.open(row?.content ?? '', `tip:${tip.id}:content`)).toContain(
      'words-sealed-before-the-rotation',
    );
    // Put the test key back in front, for the tests after this one.
    await resealTips(t.database.db, createSecrets([Buffer.alloc(32, 7), newKey]), {
      ip: null,
      userAgent: 'test',
      requestId: 'test',
    });
  });
});

describe('retention', () => {
  it('purges closed tips past the agency’s retention, audited without their content', async () => {
    const old = await newTip('an-old-closed-tip');
    const recent = await newTip();
    const open = await newTip();
    await call(cookies.supervisor, 'POST', `/api/tips/${old.id}/notes`, { text: 'Old note.' });
    await t.database.db.execute(
      sql`update tips set status = 'closed', outcome = 'unfounded', closed_at = now() - interval '400 days' where id = ${old.id}`,
    );
    await t.database.db.execute(
      sql`update tips set status = 'closed', outcome = 'duplicate', closed_at = now() - interval '10 days' where id = ${recent.id}`,
    );
    const origin = { ip: null, userAgent: 'test', requestId: 'test' };
    const dry = await purgeClosedTips(t.database.db, { dryRun: true, origin });
    expect(dry.tips.map((x) => x.id)).toContain(old.id);
    expect(dry.tips.map((x) => x.id)).not.toContain(recent.id);
    expect(dry.purged).toBe(0);
    expect((await call(cookies.supervisor, 'GET', `/api/tips/${old.id}`)).statusCode).toBe(200);

    const done = await purgeClosedTips(t.database.db, { dryRun: false, origin });
    expect(done.purged).toBeGreaterThanOrEqual(1);
    for (const [id, status] of [
      [old.id, 404],
      [recent.id, 200],
      [open.id, 200],
    ] as const) {
      expect((await call(cookies.supervisor, 'GET', `/api/tips/${id}`)).statusCode, id).toBe(
        status,
      );
    }
    const purged = await t.database.db.execute<{ after: { ids: string[] } }>(
      sql`select after from audit_log where action = 'tips.purged'`,
    );
    expect(purged.rows.flatMap((r) => r.after.ids)).toContain(old.id);
    expect(JSON.stringify(purged.rows)).not.toContain('an-old-closed-tip');
  });
});
