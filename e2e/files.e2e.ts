import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionMetrics } from '#shared/contracts/coordination.ts';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import { apNumber } from '#shared/statistics.ts';
import { addDays } from '#shared/time.ts';
import { unzip } from '../test/zip.ts';
import {
  convertWithLibreOffice,
  drawForPeople,
  inkOf,
  openInCalc,
  pdfInfo,
  pdfText,
  pdfWords,
  qrCodeOfPage,
  renderPdfPages,
  scratchFolder,
} from './desktop-programs.ts';
import { type Server, startServer } from './support.ts';

/**
 * Every file Milepost writes, opened with the program people open it with, as they would: the
 * news release in LibreOffice Writer, the spreadsheets in LibreOffice Calc, the PDFs through
 * poppler (what most PDF viewers on Linux draw with). The data is what a squad really types:
 * accents and other alphabets, notes over several lines, text that a spreadsheet would run.
 */

const password = 'demo-password-milepost';
const publicUrl = 'https://milepost.example.org';
const initiativeId = '6d696c65-706f-4374-8000-000000000001'; // the demo's
const statistics = 'bjs.federal.referred@FY2021,nhth.missouri.signals';

const agencyName = 'Police de Lévis – Contrôle routier, unité Łódź-Nguyễn';
const placeName = 'Relais routier Saint-Éloi – Łódź Nguyễn «Chez Zoë»';
const multiLineNote = 'Première ligne, avec une virgule et des "guillemets"\nDeuxième ligne — Łódź';
/** Notes a spreadsheet would run as formulas if they were written as they are. */
const formulaNotes = ['=1+1', '@SUM(A1)', '+1', '-1', '=HYPERLINK("https://evil.example","x")'];
const hotlines = Array.from({ length: 10 }, (_, i) => ({
  label: `Ligne ${i + 1} – Section régionale de la sécurité routière de Lévis`,
  number: `418-555-01${String(i).padStart(2, '0')}`,
  verifiedOn: '2026-01-05',
}));
const narrative =
  'Les agents ont visité le Relais routier Saint-Éloi chaque jour.\n\n' +
  'Zoë Nguyễn-Łukasiewicz a mené l’équipe du dimanche.';
const tipNarrative =
  'Une camionnette blanche a déposé deux jeunes près des camions à Lévis. Они просили о помощи.';
const jurisdiction = 'Lévis (Québec) – unité Łódź';
const account = '@SUM(A1) Compte rendu de la semaine.\nDeuxième ligne.';

let server: Server;
const scratch = scratchFolder('milepost-files-');
/** Each download, saved under its name in the scratch folder. */
const files = new Map<string, string>();
let report: AfterActionReport;
const inspectionIds: { id: string; notes: string }[] = [];
let tipReceipt = '';

/** A JSON answer, read as the tests need it. */
type Json = ReturnType<typeof JSON.parse>;

interface Session {
  call(method: string, url: string, body?: unknown): Promise<{ status: number; json: Json }>;
  download(url: string, name: string): Promise<string>;
}

async function signIn(email: string): Promise<Session> {
  const login = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status, email).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    async call(method, url, body) {
      const response = await fetch(`${server.baseUrl}${url}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : undefined };
    },
    download: (url, name) => download(url, name, cookie),
  };
}

async function download(url: string, name: string, cookie = ''): Promise<string> {
  const response = await fetch(`${server.baseUrl}${url}`, { headers: { cookie } });
  expect(response.status, url).toBe(200);
  const file = path.join(scratch.dir, name);
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  files.set(name, file);
  return file;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  server = await startServer({ MILEPOST_PUBLIC_URL: publicUrl });
  const [admin, supervisor, officer, coordinator] = await Promise.all(
    ['admin', 'supervisor', 'officer', 'coordinator'].map((who) =>
      signIn(`${who}@demo.milepost.test`),
    ),
  );
  if (!admin || !supervisor || !officer || !coordinator) throw new Error('no session');

  // The agency as a squad in Quebec names it, with every line it may show the public.
  const me = (await admin.call('GET', '/api/auth/me')).json;
  const agencyId = me.agency.id;
  const renamed = await admin.call('PATCH', `/api/agencies/${agencyId}`, {
    name: agencyName,
    hotlines,
  });
  expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);

  // A place, and the officer's inspections there: a note over two lines, notes that look like
  // formulas.
  const place = await supervisor.call('POST', '/api/places', {
    id: randomUUID(),
    kind: 'truck_stop',
    name: placeName,
    position: { lat: 46.8, lon: -71.18 },
  });
  expect(place.status, JSON.stringify(place.json)).toBe(201);
  for (const notes of [multiLineNote, ...formulaNotes]) {
    const id = randomUUID();
    const logged = await officer.call('POST', '/api/inspections', {
      id,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      level: 'III',
      placeId: place.json.id,
      notes,
    });
    expect(logged.status, JSON.stringify(logged.json)).toBe(201);
    inspectionIds.push({ id, notes });
  }
  const initiative = (await supervisor.call('GET', `/api/initiatives/${initiativeId}`)).json;
  const written = await supervisor.call(
    'PUT',
    `/api/initiatives/${initiativeId}/report-narrative`,
    {
      version: initiative.version,
      narrative,
    },
  );
  expect(written.status, JSON.stringify(written.json)).toBe(200);

  // A tip from the public page's form, as a phone without JavaScript sends it.
  const page = await fetch(`${server.baseUrl}/p/demo?lang=fr`);
  const started = (await page.text()).match(/name="started" value="([^"]+)"/)?.[1] ?? '';
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const sent = await fetch(`${server.baseUrl}/p/demo/tips?lang=fr`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      started,
      website: '',
      redFlags: 'lot_drop_off',
      narrative: tipNarrative,
      plate1: 'ŁÓD 123',
    }),
  });
  const thanks = await sent.text();
  expect(sent.status, thanks.slice(0, 500)).toBe(201);
  tipReceipt = thanks.match(/data-testid="receipt"[^>]*>([^<]+)</)?.[1] ?? '';
  expect(tipReceipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const tips = (await supervisor.call('GET', '/api/tips?source=public&limit=200')).json;
  const tip = tips.items.find((t: { receiptCode: string }) => t.receiptCode === tipReceipt);
  expect(tip).toBeDefined();

  // A coordinator initiative the agency joins and reports to.
  const today = new Date().toISOString().slice(0, 10);
  const shared = randomUUID();
  const published = await coordinator.call('POST', '/api/coordinator-initiatives', {
    id: shared,
    name: 'Semaine de sensibilisation — Opération Zoë',
    windows: [{ country: 'US', startsOn: addDays(today, -3), endsOn: addDays(today, 3) }],
  });
  expect(published.status, JSON.stringify(published.json)).toBe(201);
  const base = `/api/coordinator-initiatives/${shared}`;
  expect((await supervisor.call('POST', `${base}/join`)).status).toBe(201);
  const draft = (await supervisor.call('GET', `${base}/submission`)).json;
  const edited = await supervisor.call('PATCH', `${base}/submission`, {
    version: draft.version,
    jurisdiction,
    narrative: account,
  });
  expect(edited.status, JSON.stringify(edited.json)).toBe(200);
  expect(
    (await supervisor.call('POST', `${base}/submission/submit`, { version: edited.json.version }))
      .status,
  ).toBe(200);

  // What each of them downloads.
  report = (await supervisor.call('GET', `/api/initiatives/${initiativeId}/report.json`)).json;
  const initiativeUrl = `/api/initiatives/${initiativeId}`;
  await supervisor.download(
    `${initiativeUrl}/news-release.docx?statistics=${statistics}`,
    'news-release.docx',
  );
  await supervisor.download(
    `${initiativeUrl}/news-release.md?statistics=${statistics}`,
    'news-release.md',
  );
  await supervisor.download(`${initiativeUrl}/report.pdf`, 'after-action.pdf');
  await supervisor.download(`${initiativeUrl}/report.zip`, 'after-action.zip');
  for (const kind of ['inspections', 'outreach-visits', 'activities']) {
    await supervisor.download(`/api/${kind}/export.csv`, `export-${kind}.csv`);
  }
  await supervisor.download(`/api/tips/${tip.id}/referral.pdf`, 'tip.pdf');
  await coordinator.download(`${base}/report.pdf`, 'coordinator.pdf');
  await coordinator.download(`${base}/results.csv`, 'coordinator-results.csv');
  await coordinator.download(`${base}/report.zip`, 'coordinator.zip');
  for (const language of ['en', 'es', 'fr']) {
    for (const kind of ['flyer', 'window-card']) {
      await download(`/p/demo/${kind}.pdf?lang=${language}`, `${kind}-${language}.pdf`);
    }
  }
  // The zips' spreadsheets, each under a name of its own.
  for (const zip of ['after-action', 'coordinator']) {
    for (const [name, bytes] of unzip(fs.readFileSync(files.get(`${zip}.zip`) ?? ''))) {
      if (!name.endsWith('.csv')) continue;
      const file = path.join(scratch.dir, `${zip}-${name}`);
      fs.writeFileSync(file, bytes);
      files.set(`${zip}-${name}`, file);
    }
  }
}, 300_000);

afterAll(async () => {
  await server?.stop();
  // MILEPOST_E2E_KEEP_FILES=1 keeps the downloads and what the programs made of them, every
  // PDF's pages drawn as PNGs beside it.
  if (process.env.MILEPOST_E2E_KEEP_FILES !== '1') return scratch.cleanUp();
  const pdfs = fs.readdirSync(scratch.dir, { recursive: true, encoding: 'utf8' });
  for (const name of pdfs.filter((n) => n.endsWith('.pdf'))) {
    await drawForPeople(path.join(scratch.dir, name));
  }
  console.log(`files kept in ${scratch.dir}`);
});

function fileOf(name: string): string {
  const file = files.get(name);
  if (!file) throw new Error(`no download named ${name}`);
  return file;
}

/**
 * Every page of the PDF drawn by poppler has ink on it (nothing blank, nothing that fails to
 * draw), and every word lies within its page: none runs off an edge.
 */
async function expectEveryPageWhole(file: string, name: string) {
  const drawn = await renderPdfPages(file);
  for (const [index, page] of drawn.entries()) {
    expect(inkOf(page), `${name}, page ${index + 1}`).toBeGreaterThan(0.002);
  }
  for (const [index, page] of (await pdfWords(file)).entries()) {
    const off = page.words.filter(
      (w) => w.xMin < 0 || w.yMin < 0 || w.xMax > page.width + 0.5 || w.yMax > page.height + 0.5,
    );
    expect(off, `${name}, page ${index + 1}: words off the page`).toEqual([]);
  }
  return drawn;
}

describe('the news release in LibreOffice Writer', () => {
  it('shows the headline, each figure, and beside each mark its own footnote, none empty', async () => {
    const docx = fileOf('news-release.docx');
    const outDir = path.join(scratch.dir, 'writer');
    fs.mkdirSync(outDir);
    const [pdf = ''] = await convertWithLibreOffice([docx], 'pdf', { outDir });
    const [html = ''] = await convertWithLibreOffice([docx], 'html', { outDir });

    // What the page shows.
    const info = await pdfInfo(pdf);
    expect(info['Page size']).toMatch(/^612 x 792 pts/);
    const pages = await pdfText(pdf);
    const text = oneLine(pages.join(' '));
    expect(text).toContain(`${agencyName} takes part in ${report.initiative.name}`);
    const total = (metric: string) => report.totals.find((t) => t.metric === metric)?.value ?? 0;
    expect(text).toContain(`${apNumber(total('inspections_with_outreach'))} routine inspection`);
    expect(text).toContain(`${apNumber(total('wallet_cards'))} wallet card`);
    expect(text).toContain(`${apNumber(total('red_flag_observations'))} possible sign`);
    expect(text).toContain('2,027 persons were referred to U.S. attorneys');
    expect(text).toContain('received 1,103 signals from Missouri in 2021');
    await expectEveryPageWhole(pdf, 'news release');

    // Which note each mark leads to, as Writer reads the document: its export keeps each
    // footnote's number at the mark and at the note.
    const page = fs.readFileSync(html, 'utf8');
    const notes = new Map(
      [...page.matchAll(/<div id="sdfootnote(\d+)">([\s\S]*?)<\/div>/g)].map((m) => [
        Number(m[1]),
        oneLine(textOf(m[2] ?? '')).replace(/^\d+\s*/, ''),
      ]),
    );
    const paragraphs = [
      ...(page.split(/<div id="sdfootnote1">/)[0] ?? '').matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g),
    ]
      .map((m) => m[1] ?? '')
      .filter((p) => p.includes('sdfootnoteanc'));
    const marks = paragraphs.flatMap((p) =>
      [...p.matchAll(/name="sdfootnote(\d+)anc"/g)].map((m) => ({
        number: Number(m[1]),
        sentence: oneLine(textOf(p)),
      })),
    );
    expect(marks.length).toBeGreaterThanOrEqual(5);
    expect(marks.map((m) => m.number)).toEqual(marks.map((_, i) => i + 1));
    expect([...notes.keys()].sort((a, b) => a - b)).toEqual(marks.map((m) => m.number));
    for (const mark of marks) {
      const note = notes.get(mark.number) ?? '';
      expect(note, `footnote ${mark.number}`).not.toBe('');
      if (mark.sentence.includes('2,027 persons')) {
        expect(note).toMatch(/^Bureau of Justice Statistics, .* Figure for fiscal year 2021\.$/);
      } else if (mark.sentence.includes('1,103 signals')) {
        expect(note).toMatch(/^National Human Trafficking Hotline, .* Figure for 2021\.$/);
      } else {
        expect(note).toMatch(new RegExp(`^${escapeRegExp(agencyName)}, records of the `));
      }
      // And the page shows it, under its number.
      expect(text, `footnote ${mark.number} on the page`).toContain(note.slice(0, 60));
    }

    // The Markdown draft has the same notes, in the same order.
    const markdown = fs.readFileSync(fileOf('news-release.md'), 'utf8');
    const definitions = [...markdown.matchAll(/^\[\^(\d+)\]: (.*)$/gm)].map((m) =>
      oneLine((m[2] ?? '').replace(/<(https?:[^>]+)>/g, '$1').replace(/\\(.)/g, '$1')),
    );
    expect(definitions).toEqual(marks.map((m) => notes.get(m.number)));
  }, 240_000);
});

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the PDFs through poppler', () => {
  it('the after-action report: its pages numbered, every page drawn, the names as written', async () => {
    const file = fileOf('after-action.pdf');
    const info = await pdfInfo(file);
    expect(info.Title).toBe(`After-action report: ${report.initiative.name}`);
    const pages = await pdfText(file);
    expect(pages.length).toBe(Number(info.Pages));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.slice(1).forEach((page, index) => {
      expect(page, `page ${index + 2}`).toContain(`Page ${index + 2} of ${pages.length}`);
    });
    const text = oneLine(pages.join(' '));
    for (const heading of ['Totals against goals', 'By day', 'By place', 'Red flags observed']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(agencyName);
    expect(text).toContain(placeName);
    expect(text).toContain('Zoë Nguyễn-Łukasiewicz a mené l’équipe du dimanche.');
    const inspections = report.totals.find((t) => t.metric === 'inspections');
    expect(text).toMatch(
      new RegExp(`Inspections ${inspections?.value.toLocaleString('en-US')}\\b`),
    );
    expect(text).not.toContain('cannot print');
    await expectEveryPageWhole(file, 'after-action report');
  }, 120_000);

  it('the coordinator’s report: the agencies’ names and accounts as written', async () => {
    const file = fileOf('coordinator.pdf');
    const pages = await pdfText(file);
    expect(pages.length).toBe(Number((await pdfInfo(file)).Pages));
    const text = oneLine(pages.join(' '));
    expect(text).toContain('Semaine de sensibilisation — Opération Zoë');
    expect(text).toContain(jurisdiction);
    expect(text).toContain('@SUM(A1) Compte rendu de la semaine.');
    expect(text).toContain('Combined totals');
    // Each count's header whole in its column: none cut inside a word ("Presentation s").
    for (const metric of submissionMetrics) expect(text).toContain(metric.label);
    await expectEveryPageWhole(file, 'coordinator report');
  }, 120_000);

  it('the tip for a referral: what the sender wrote, and a word where a script cannot print', async () => {
    const file = fileOf('tip.pdf');
    const text = oneLine((await pdfText(file)).join(' '));
    expect(text).toContain(`Tip ${tipReceipt}`);
    // The Cyrillic sentence is marked where it was, the line kept within the page.
    expect(text).toContain(
      'Une camionnette blanche a déposé deux jeunes près des camions à Lévis. […].',
    );
    expect(text).toContain('Plate ŁÓD 123');
    expect(text).toContain('Some words are in a script this PDF cannot print');
    await expectEveryPageWhole(file, 'tip');
  }, 120_000);

  it('the flyer and the window card, in each language: one page, every number, a QR code to the page', async () => {
    for (const language of ['en', 'es', 'fr']) {
      for (const kind of ['flyer', 'window-card']) {
        const name = `${kind}-${language}`;
        const file = fileOf(`${name}.pdf`);
        const info = await pdfInfo(file);
        expect(info.Pages, name).toBe('1');
        expect(info['Page size'], name).toMatch(kind === 'flyer' ? /^612 x 792/ : /^360 x 504/);
        const text = oneLine((await pdfText(file)).join(' '));
        expect(text, name).toContain(agencyName);
        expect(text, name).toContain('911');
        expect(text, name).toContain('1-888-373-7888');
        for (const line of hotlines) expect(text, name).toContain(`${line.label}: ${line.number}`);
        expect(text, name).toContain(`${publicUrl}/p/demo`);
        await expectEveryPageWhole(file, name);
        const [page] = await renderPdfPages(file, 150);
        if (!page) throw new Error(`${name} drew no page`);
        expect(qrCodeOfPage(page), name).toBe(`${publicUrl}/p/demo`);
      }
    }
  }, 240_000);
});

describe('the spreadsheets in LibreOffice Calc', () => {
  it('open with their header, accents intact, a record a row, notes in one cell, formulas as text', async () => {
    const names = [
      'export-inspections.csv',
      'export-outreach-visits.csv',
      'export-activities.csv',
      ...[...files.keys()].filter((n) => n.startsWith('after-action-') && n.endsWith('.csv')),
      'coordinator-results.csv',
      ...[...files.keys()].filter(
        (n) =>
          n.startsWith('coordinator-') && n.endsWith('.csv') && n !== 'coordinator-results.csv',
      ),
    ];
    expect(names).toContain('after-action-by-place.csv');
    expect(names).toContain('coordinator-accounts.csv');
    const outDir = path.join(scratch.dir, 'calc');
    fs.mkdirSync(outDir);
    const sheets = await openInCalc(names.map(fileOf), outDir);
    const sheetOf = (name: string) => sheets[names.indexOf(name)] ?? [];

    for (const [index, name] of names.entries()) {
      const bytes = fs.readFileSync(fileOf(name));
      // The byte-order mark tells Excel the file is UTF-8; Calc keeps it out of the first cell.
      expect(bytes.subarray(0, 3).toString('hex'), name).toBe('efbbbf');
      const written =
        bytes
          .toString('utf8')
          .replace(/^\ufeff/, '')
          .split(/\r?\n/)[0] ?? '';
      const header = sheets[index]?.[0] ?? [];
      expect(header.join(','), name).toBe(written);
      expect(header[0], name).toMatch(/^[a-z_]+$/);
    }

    // The inspections: one row per record, the multi-line note in one cell, the place's name
    // as written, and every formula-looking note shown as the text it is.
    for (const name of ['export-inspections.csv', 'after-action-inspections.csv']) {
      const [header = [], ...rows] = sheetOf(name);
      const column = (title: string) => header.indexOf(title);
      if (name === 'after-action-inspections.csv') {
        expect(rows.length, name).toBe(
          report.totals.find((t) => t.metric === 'inspections')?.value,
        );
      }
      expect(new Set(rows.map((r) => r[column('id')])).size, name).toBe(rows.length);
      for (const { id, notes } of inspectionIds) {
        const row = rows.find((r) => r[column('id')] === id);
        expect(row, `${name}: ${id}`).toBeDefined();
        expect(row?.[column('place')], name).toBe(placeName);
        const shown = row?.[column('notes')];
        if (formulaNotes.includes(notes)) expect(shown, name).toBe(`'${notes}`);
        else expect(shown, name).toBe(notes);
      }
    }
    const byPlace = sheetOf('after-action-by-place.csv');
    expect(byPlace.some((r) => r.includes(placeName))).toBe(true);

    // The coordinator's spreadsheets: the jurisdiction as written, the account in one cell.
    const results = sheetOf('coordinator-results.csv');
    expect(results.some((r) => r[0] === jurisdiction)).toBe(true);
    const accounts = sheetOf('coordinator-accounts.csv');
    const ours = accounts.find((r) => r.includes(jurisdiction));
    expect(ours).toContain(`'${account}`);
  }, 240_000);
});
