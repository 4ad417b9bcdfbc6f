import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorResults, Submission } from '#shared/contracts/coordination.ts';
import { newAgency, newMaterial, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { unzip } from '#test/zip.ts';

let t: TestApp;
let coordinator: string;
let otherCoordinator: string;
const squads: { supervisor: string; officer: string; agencyId: string }[] = [];
const initiativeId = randomUUID();

async function call(cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: object) {
  return t.app.inject({ method, url, headers: { cookie }, ...(body ? { payload: body } : {}) });
}

/** Today's date in UTC, and the day before and after: the initiative's week around it. */
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  const body = await newAgency(t.database.db, { kind: 'coordinating_body', timeZone: 'UTC' });
  coordinator = await t.signIn(
    (await newUser(t.database.db, body.id, { role: 'coordinator' })).email,
  );
  const otherBody = await newAgency(t.database.db, { kind: 'coordinating_body' });
  otherCoordinator = await t.signIn(
    (await newUser(t.database.db, otherBody.id, { role: 'coordinator' })).email,
  );
  for (let i = 0; i < 2; i++) {
    const agency = await newAgency(t.database.db, { timeZone: 'UTC', country: 'US' });
    const supervisor = await t.signIn(
      (await newUser(t.database.db, agency.id, { role: 'supervisor' })).email,
    );
    const officer = await t.signIn((await newUser(t.database.db, agency.id)).email);
    const card = await newMaterial(t.database.db, agency.id);
    // Each squad's own work: inspections with wallet cards, and presentations.
    for (let k = 0; k < 2 + i; k++) {
      const logged = await call(officer, 'POST', '/api/inspections', {
        id: randomUUID(),
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        level: 'III',
        outreachGiven: true,
        materials: [{ materialId: card.id, quantity: 5 }],
      });
      expect(logged.statusCode, logged.body).toBe(201);
    }
    await call(officer, 'POST', '/api/activities', {
      id: randomUUID(),
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      kind: 'presentations',
      count: 1 + i,
    });
    squads.push({ supervisor, officer, agencyId: agency.id });
  }
});
afterAll(() => t.close());

describe('a coordinator initiative', () => {
  const publish = {
    id: initiativeId,
    name: 'Human Trafficking Awareness Initiative',
    windows: [
      { country: 'US', startsOn: day(-3), endsOn: day(3) },
      { country: 'CA', startsOn: day(30), endsOn: day(34) },
    ],
  };

  it('is published once by a coordinator, with its dates per country', async () => {
    const created = await call(coordinator, 'POST', '/api/coordinator-initiatives', publish);
    expect(created.statusCode, created.body).toBe(201);
    expect(
      (await call(coordinator, 'POST', '/api/coordinator-initiatives', publish)).statusCode,
    ).toBe(200);
    const bad = await call(coordinator, 'POST', '/api/coordinator-initiatives', {
      ...publish,
      id: randomUUID(),
      windows: [{ country: 'US', startsOn: day(3), endsOn: day(-3) }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('windows.0.endsOn');
    const seen = (
      await call(squads[0]?.supervisor ?? '', 'GET', '/api/coordinator-initiatives')
    ).json();
    expect(seen.find((i: { id: string }) => i.id === initiativeId)).toMatchObject({
      joined: false,
      windows: publish.windows,
    });
  });

  it('is joined by agencies, each with a draft prefilled from its own records', async () => {
    for (const [index, squad] of squads.entries()) {
      const joined = await call(
        squad.supervisor,
        'POST',
        `/api/coordinator-initiatives/${initiativeId}/join`,
      );
      expect(joined.statusCode, joined.body).toBe(201);
      const draft: Submission = joined.json();
      expect(draft.status).toBe('draft');
      expect(draft.counts.wallet_cards).toBe(5 * (2 + index));
      expect(draft.counts.presentations).toBe(1 + index);
      expect(draft.personnel).toBe(1);
      const again = await call(
        squad.supervisor,
        'POST',
        `/api/coordinator-initiatives/${initiativeId}/join`,
      );
      expect(again.statusCode).toBe(200);
    }
  });

  it('takes edits to a draft, locks it on submit, and refuses a stale or late edit', async () => {
    const squad = squads[0];
    if (!squad) throw new Error('no squad');
    const url = `/api/coordinator-initiatives/${initiativeId}/submission`;
    const draft: Submission = (await call(squad.supervisor, 'GET', url)).json();
    expect(draft.fromRecords?.counts.wallet_cards).toBe(10);
    const edited = await call(squad.supervisor, 'PATCH', url, {
      version: draft.version,
      personnel: 4,
      counts: { media_contacts: 2 },
      narrative: 'Four officers, two truck stops a day.',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().counts).toMatchObject({ media_contacts: 2, wallet_cards: 10 });
    const stale = await call(squad.supervisor, 'PATCH', url, {
      version: draft.version,
      personnel: 9,
    });
    expect(stale.statusCode).toBe(409);
    const submitted = await call(squad.supervisor, 'POST', `${url}/submit`, {
      version: edited.json().version,
    });
    expect(submitted.json()).toMatchObject({ status: 'submitted' });
    const late = await call(squad.supervisor, 'PATCH', url, {
      version: submitted.json().version,
      personnel: 5,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('locked');
  });

  it('totals the submitted counts for the coordinator, and nothing of any record', async () => {
    const second = squads[1];
    if (!second) throw new Error('no squad');
    const url = `/api/coordinator-initiatives/${initiativeId}/submission`;
    const draft: Submission = (await call(second.supervisor, 'GET', url)).json();
    await call(second.supervisor, 'POST', `${url}/submit`, { version: draft.version });

    const response = await call(
      coordinator,
      'GET',
      `/api/coordinator-initiatives/${initiativeId}/results`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const results: CoordinatorResults = response.json();
    const submitted = results.agencies.filter((a) => a.status === 'submitted');
    expect(submitted).toHaveLength(2);
    expect(results.totals.jurisdictions).toBe(2);
    for (const key of Object.keys(
      results.totals.counts,
    ) as (keyof typeof results.totals.counts)[]) {
      expect(results.totals.counts[key], key).toBe(
        submitted.reduce((sum, a) => sum + a.counts[key], 0),
      );
    }
    expect(results.totals.counts.wallet_cards).toBe(10 + 15);
    expect(results.totals.personnel).toBe(4 + 1);
    // Counts only: no record, officer or place travels with them.
    expect(response.body).not.toMatch(/officerId|placeId|occurredAt|"notes"/);

    const csv = await call(
      coordinator,
      'GET',
      `/api/coordinator-initiatives/${initiativeId}/results.csv`,
    );
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'jurisdiction,agency,enforcement_personnel,wallet_cards,window_decals,posters,outreach_events,presentations,media_contacts,social_posts',
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^Total \(2 jurisdictions\),,5,25,0,0,0,3,2,0$/);

    const pdf = await call(
      coordinator,
      'GET',
      `/api/coordinator-initiatives/${initiativeId}/report.pdf`,
    );
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toContain(
      'After-action report: Human Trafficking Awareness Initiative',
    );

    const json = await call(
      coordinator,
      'GET',
      `/api/coordinator-initiatives/${initiativeId}/report.json`,
    );
    expect(json.statusCode).toBe(200);
    expect(json.json().totals).toEqual(results.totals);

    const zip = await call(
      coordinator,
      'GET',
      `/api/coordinator-initiatives/${initiativeId}/report.zip`,
    );
    expect(zip.statusCode).toBe(200);
    const files = unzip(zip.rawPayload);
    expect([...files.keys()]).toEqual(['report.json', 'submissions.csv', 'accounts.csv']);
    expect(files.get('submissions.csv')?.toString()).toBe(csv.body);
    const accounts = parse(files.get('accounts.csv')?.toString() ?? '', {
      bom: true,
      columns: true,
    }) as { agency: string; status: string }[];
    expect(accounts.filter((a) => a.status === 'submitted')).toHaveLength(2);
    expect(files.get('report.json')?.toString()).not.toMatch(/officerId|placeId|occurredAt/);
  });

  it('is reopened for a revision by its coordinator only, audited with the reason', async () => {
    const squad = squads[0];
    if (!squad) throw new Error('no squad');
    const url = `/api/coordinator-initiatives/${initiativeId}/submissions/${squad.agencyId}/request-revision`;
    const payload = { reason: 'Posters are missing from the count.' };
    expect((await call(otherCoordinator, 'POST', url, payload)).statusCode).toBe(404);
    expect((await call(squad.supervisor, 'POST', url, payload)).statusCode).toBe(403);
    const reopened = await call(coordinator, 'POST', url, payload);
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'revision_requested', revision: 1 });
    const again = await call(coordinator, 'POST', url, payload);
    expect(again.statusCode).toBe(409);
    const audit = await t.database.db.execute<{ after: { reason: string } }>(
      sql`select after from audit_log where action = 'submission.revision_requested'`,
    );
    expect(audit.rows[0]?.after.reason).toBe(payload.reason);
    // The agency may now change it again.
    const own = (
      await call(squad.supervisor, 'GET', `/api/coordinator-initiatives/${initiativeId}/submission`)
    ).json();
    const fixed = await call(
      squad.supervisor,
      'PATCH',
      `/api/coordinator-initiatives/${initiativeId}/submission`,
      {
        version: own.version,
        counts: { posters: 6 },
      },
    );
    expect(fixed.statusCode).toBe(200);
  });

  it('shows its results to its own coordinator only; agencies never see each other’s records', async () => {
    expect(
      (await call(otherCoordinator, 'GET', `/api/coordinator-initiatives/${initiativeId}/results`))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await call(
          squads[0]?.supervisor ?? '',
          'GET',
          `/api/coordinator-initiatives/${initiativeId}/results`,
        )
      ).statusCode,
    ).toBe(403);
    const theirs = await call(squads[0]?.supervisor ?? '', 'GET', '/api/inspections?limit=200');
    const agencies = new Set(theirs.json().items.map((i: { agencyId: string }) => i.agencyId));
    expect([...agencies]).toEqual([squads[0]?.agencyId]);
    expect((await call(coordinator, 'GET', '/api/inspections')).statusCode).toBe(403);
  });
});
