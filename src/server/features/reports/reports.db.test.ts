import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import type { Summary } from '#shared/contracts/summary.ts';
import { newAgency, newInitiative, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { unzip } from '#test/zip.ts';
import { loadDemo } from '../demo/demo.service.ts';
import { demoIds } from '../demo/demo-field-data.ts';
import { loadReferencePack } from '../statistics/statistics.service.ts';

const password = 'demo-password-milepost';
const now = Date.parse('2026-01-14T21:30:00Z');
const base = `/api/initiatives/${demoIds.initiative}`;

let t: TestApp;
let supervisor: string;
let otherSupervisor: string;
let otherInitiative: string;

async function get(url: string, cookie = supervisor) {
  return t.app.inject({ method: 'GET', url, headers: { cookie } });
}

beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.database.db, password, now);
  await loadReferencePack(t.database.db);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'supervisor@demo.milepost.test', password },
  });
  supervisor = String(login.headers['set-cookie']).split(';')[0] ?? '';
  const other = await newAgency(t.database.db);
  const otherUser = await newUser(t.database.db, other.id, { role: 'supervisor' });
  otherSupervisor = await t.signIn(otherUser.email);
  otherInitiative = (await newInitiative(t.database.db, other.id, otherUser.id)).id;
});
afterAll(() => t.close());

describe('the after-action report', () => {
  it('holds the dashboard’s figures', async () => {
    const report: AfterActionReport = (await get(`${base}/report.json`)).json();
    const summary: Summary = (await get(`${base}/summary`)).json();
    expect(report.totals.length).toBeGreaterThan(5);
    for (const total of report.totals) {
      expect(total.value, total.metric).toBe(summary.totals[total.metric]);
    }
    for (const goal of summary.goals) {
      expect(report.totals.find((t) => t.metric === goal.metric)).toMatchObject({
        goal: goal.goal,
        value: goal.actual,
      });
    }
    expect(report.byDay).toEqual(summary.byDay);
    expect(report.inspections).toEqual(summary.inspections);
    // Target places not yet visited are listed too, with nothing counted.
    const targets = report.places.filter((p) => p.target);
    expect(targets.length).toBe(15);
    const notVisited = targets.filter((p) => p.inspections + p.outreachVisits === 0);
    expect(notVisited.length).toBeGreaterThan(0);
    expect(report.places.length).toBe(summary.byPlace.length + notVisited.length);
  });

  it('is a PDF with a cover, charts and tables over several pages', async () => {
    const response = await get(`${base}/report.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(
      'after-action-human-trafficking-awareness-week.pdf',
    );
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pdf.toString('latin1')).toContain(
      'After-action report: Human Trafficking Awareness Week',
    );
  });

  it('bundles the report, its tables and every record of the initiative as CSV', async () => {
    const response = await get(`${base}/report.zip`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const files = unzip(response.rawPayload);
    expect([...files.keys()].sort()).toEqual([
      'activities.csv',
      'by-day.csv',
      'by-material.csv',
      'by-place.csv',
      'inspections.csv',
      'outreach-visits.csv',
      'report.json',
      'totals.csv',
    ]);
    const report: AfterActionReport = JSON.parse(String(files.get('report.json')));
    const rows = (name: string) => String(files.get(name)).trim().split('\n').length - 1;
    const total = (metric: string) => report.totals.find((t) => t.metric === metric)?.value;
    expect(rows('inspections.csv')).toBe(total('inspections'));
    expect(rows('outreach-visits.csv')).toBe(total('outreach_visits'));
    expect(rows('totals.csv')).toBe(report.totals.length);
  });

  it('carries the supervisor’s account, which may be written after the initiative closes', async () => {
    const initiative = (await get(base)).json();
    const closed = await t.app.inject({
      method: 'POST',
      url: `${base}/close`,
      headers: { cookie: supervisor },
      payload: { version: initiative.version },
    });
    expect(closed.statusCode).toBe(200);
    const narrative = 'Five officers worked the week; truck-stop managers asked for more posters.';
    const set = await t.app.inject({
      method: 'PUT',
      url: `${base}/report-narrative`,
      headers: { cookie: supervisor },
      payload: { version: closed.json().version, narrative },
    });
    expect(set.statusCode, set.body).toBe(200);
    const stale = await t.app.inject({
      method: 'PUT',
      url: `${base}/report-narrative`,
      headers: { cookie: supervisor },
      payload: { version: closed.json().version, narrative: 'Overwritten' },
    });
    expect(stale.statusCode).toBe(409);
    expect((await get(`${base}/report.json`)).json().narrative).toBe(narrative);
  });

  it('is another agency’s to read only: theirs does not exist to this supervisor', async () => {
    for (const file of ['report.json', 'report.pdf', 'report.zip', 'news-release.md']) {
      const response = await get(`/api/initiatives/${otherInitiative}/${file}`);
      expect(response.statusCode, file).toBe(404);
    }
    const theirs = await get(`/api/initiatives/${otherInitiative}/report.json`, otherSupervisor);
    expect(theirs.statusCode).toBe(200);
  });
});

describe('the news-release draft', () => {
  const chosen = 'statistics=bjs.federal.referred@FY2021,nhth.missouri.signals';

  it('footnotes every figure: the agency’s records and each statistic’s source and period', async () => {
    const response = await get(`${base}/news-release.md?${chosen}`);
    expect(response.statusCode, response.body).toBe(200);
    const text = response.body;
    expect(text).toMatch(/^# Demo City Police.* takes part in Human Trafficking Awareness Week/);
    // Each mark has a note of its own: the nth mark of the text is note n.
    const noteOf = (sentence: string) => {
      const mark = text.split(sentence)[1]?.match(/^\[\^(\d+)\]/)?.[1];
      return text.match(new RegExp(`^\\[\\^${mark}\\]: (.*)$`, 'm'))?.[1];
    };
    expect(
      noteOf(
        'According to the Bureau of Justice Statistics, 2,027 persons were referred to U.S. attorneys for human-trafficking offenses in fiscal year 2021.',
      ),
    ).toMatch(
      /^Bureau of Justice Statistics, Human Trafficking Data Collection Activities, 2023\./,
    );
    expect(noteOf('the hotline received 1,103 signals from Missouri in 2021.')).toMatch(
      /^National Human Trafficking Hotline/,
    );
    const [beforeNotes = '', notes = ''] = text.split('\n###\n');
    const marks = [...beforeNotes.matchAll(/\[\^(\d+)\]/g)].map((m) => Number(m[1]));
    expect(marks).toEqual(marks.map((_, index) => index + 1));
    expect([...notes.matchAll(/^\[\^(\d+)\]: \S/gm)].map((m) => Number(m[1]))).toEqual(marks);
    expect(notes).toMatch(/^\[\^1\]: Demo City Police/m);
    expect(text).toContain('1-888-373-7888');
    expect(text).toContain('[Quote from the squad');
    const report: AfterActionReport = (await get(`${base}/report.json`)).json();
    const cards = report.totals.find((t) => t.metric === 'wallet_cards')?.value ?? 0;
    expect(text).toContain(`${cards.toLocaleString('en-US')} wallet cards`);
    // Every paragraph of the body with a figure ends with a footnote mark.
    const body = text.split('\n\n').slice(2, text.split('\n\n').indexOf('For more information:'));
    const withFigures = body.filter((p) => /\d/.test(p) && !p.startsWith('Anyone'));
    expect(withFigures.length).toBeGreaterThanOrEqual(4);
    for (const paragraph of withFigures) expect(paragraph).toMatch(/\[\^\d+\]$/);
  });

  it('is a Word document whose statistics have footnotes', async () => {
    const response = await get(`${base}/news-release.docx?${chosen}`);
    expect(response.statusCode).toBe(200);
    const files = unzip(response.rawPayload);
    const body = String(files.get('word/document.xml'));
    const footnotes = String(files.get('word/footnotes.xml'));
    expect(body).toContain('2,027 persons were referred');
    // Every reference points to a footnote of its own that has words in it.
    const references = [...body.matchAll(/<w:footnoteReference w:id="(\d+)"/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThanOrEqual(5);
    expect(new Set(references).size).toBe(references.length);
    for (const id of references) {
      const note = footnotes.match(
        new RegExp(`<w:footnote w:id="${id}">([\\s\\S]*?)</w:footnote>`),
      );
      expect(note?.[1], `footnote ${id}`).toMatch(/<w:t[^>]*>[^<]+</);
    }
    expect(footnotes).toContain('Human Trafficking Data Collection Activities, 2023');
    expect(footnotes).toContain('Figure for fiscal year 2021');
  });

  it('refuses a statistic it cannot source, naming the field', async () => {
    for (const choice of ['bjs.federal.unknown', 'bjs.federal.referred@FY2013', 'not a key']) {
      const response = await get(
        `${base}/news-release.md?statistics=${encodeURIComponent(choice)}`,
      );
      expect(response.statusCode, choice).toBe(400);
      expect(response.json().errors[0].field, choice).toMatch(/^statistics/);
    }
  });
});
