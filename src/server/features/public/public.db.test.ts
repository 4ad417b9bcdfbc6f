import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferencePack } from '#server/features/statistics/statistics.service.ts';
import { newAgency, newPlace, newUser } from '#test/factories.ts';
import { qrCodeOfPdf } from '#test/pdf-qr.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { testSecrets } from '#test/test-secrets.ts';
import { checkFormToken, formToken } from './public.service.ts';

let t: TestApp;
let slug: string;
let supervisor: string;
let placeName: string;

const page = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

/** A form as a browser sends it; its token a minute old, as a person would take to fill it. */
function sendTip(fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  body.append('started', formToken(testSecrets, slug, Date.now() - 60_000));
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(name, v);
  }
  return t.app.inject({
    method: 'POST',
    url: `/p/${slug}/tips`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: body.toString(),
  });
}

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

function receiptOf(html: string) {
  const receipt = /data-testid="receipt">([^<]+)</.exec(html)?.[1];
  const secret = /data-testid="secret">([^<]+)</.exec(html)?.[1];
  if (!receipt || !secret) throw new Error('no receipt on the page');
  return { receipt, secret };
}

beforeAll(async () => {
  t = await createTestApp({
    tips: { clientRateLimit: 1000, agencyRateLimit: 1000, minFillSeconds: 3 },
    publicUrl: 'https://milepost.example.org',
  });
  const agency = await newAgency(t.database.db, {
    hotlines: [{ label: 'Squad tip line', number: '816-555-0100', verifiedOn: '2026-11-01' }],
  });
  slug = agency.slug;
  placeName = 'Flying J Kansas City';
  await newPlace(t.database.db, agency.id, { name: placeName });
  const s = await newUser(t.database.db, agency.id, { role: 'supervisor' });
  supervisor = await t.signIn(s.email);
  await loadReferencePack(t.database.db);
});
afterAll(() => t.close());

describe('the public page', () => {
  it('speaks the visitor’s language, switches on request and remembers it without an identifier', async () => {
    const english = await page(`/p/${slug}`);
    expect(english.statusCode).toBe(200);
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('1-888-373-7888');
    expect(english.body).toContain('Squad tip line');
    expect(english.body).toContain('Number checked on November 1, 2026.');

    const spanish = await page(`/p/${slug}`, {
      'accept-language': 'de;q=1, es-MX;q=0.8, en;q=0.5',
    });
    expect(spanish.body).toContain('<html lang="es">');
    expect(spanish.body).toContain('Llame primero al 911.');
    expect(spanish.headers['set-cookie']).toBeUndefined();

    const french = await page(`/p/${slug}?lang=fr`);
    expect(french.body).toContain('<html lang="fr">');
    expect(french.body).toContain('Appelez d’abord le 911.');
    const cookie = String(french.headers['set-cookie']);
    expect(cookie).toMatch(
      /^milepost_lang=fr; Max-Age=31536000; Path=\/p; HttpOnly; SameSite=Lax$/,
    );
    const remembered = await page(`/p/${slug}`, { cookie: 'milepost_lang=fr' });
    expect(remembered.body).toContain('<html lang="fr">');
  });

  it('shows statistics with their sources, in the page’s language', async () => {
    const english = await page(`/p/${slug}`);
    expect(english.body).toContain('Source: Bureau of Justice Statistics');
    expect(english.body).toMatch(/1,912 persons were referred to U\.S\. attorneys/);
    const spanish = await page(`/p/${slug}?lang=es`);
    expect(spanish.body).toContain('Fuente: Bureau of Justice Statistics');
    expect(spanish.body).toMatch(
      /1,912 personas fueron remitidas a fiscales federales de EE\. UU\./,
    );
    expect(spanish.body).toContain('en el año fiscal 2022');
  });

  it('loads nothing from anywhere else, weighs under 50 KB and forbids it all by its policy', async () => {
    const response = await page(`/p/${slug}`);
    const html = response.body;
    const resources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    const loaded = [...html.matchAll(/<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(loaded.length).toBeGreaterThan(0);
    for (const url of loaded) expect(url, url).toMatch(/^\/p\/assets\//);
    // Links the visitor may follow are fine; what the page fetches by itself is ours alone.
    expect(resources.filter((url) => /^https?:/.test(url))).toEqual([
      'https://humantraffickinghotline.org',
    ]);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    let bytes = Buffer.byteLength(html);
    for (const url of loaded) bytes += (await page(url)).rawPayload.length;
    expect(bytes).toBeLessThan(50 * 1024);
  });

  it('answers an unknown agency with a page that says so', async () => {
    const response = await page('/p/no-such-agency');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('There is no such page.');
  });
});

describe('a tip from the public', () => {
  it('is taken whole when every field is filled to its length in a script of three-byte characters', async () => {
    // What the page's own form lets a browser send: each field of the page filled to its
    // maxLength, in a script whose characters take nine bytes each once percent-encoded.
    const html = (await page(`/p/${slug}`)).body;
    const fields: Record<string, string> = {};
    for (const [tag] of html.matchAll(/<(?:input|textarea)\b[^>]*>/g)) {
      const name = /\bname="([^"]+)"/.exec(tag)?.[1];
      const length = Number(/\bmaxLength="(\d+)"/.exec(tag)?.[1] ?? 0);
      if (name && length > 0) fields[name] = '名'.repeat(length);
    }
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['narrative', 'people']));
    const sent = await sendTip({ ...fields, seenOn: '2026-11-28' });
    // Received, or refused for what a field says, the form shown again with what was typed:
    // never refused whole for its size, everything typed lost.
    expect([201, 400], sent.body.slice(0, 300)).toContain(sent.statusCode);
    if (sent.statusCode === 400) expect(sent.body).toContain(fields.narrative);
  });

  it('is received with a receipt, sealed at rest, and followed up by its sender', async () => {
    const narrative =
      'A white van dropped two girls in the west lot at 2 a.m. unique-narrative-7731';
    const sent = await sendTip(
      {
        redFlags: ['lot_drop_off', 'fearful_submissive'],
        place: 'flying j kansas city',
        seenOn: '2026-11-28',
        seenTime: '02:10',
        plate1: 'ABC1234',
        plateState1: 'MO',
        vehicle1: 'White Ford van',
        narrative,
        contact: '816-555-0199',
        contactSafe: 'no',
        website: '',
      },
      { 'accept-language': 'es' },
    );
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.body).toContain('Gracias. Recibimos su aviso.');
    expect(sent.headers['cache-control']).toBe('no-store');
    const { receipt, secret } = receiptOf(sent.body);
    expect(receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const stored = await t.database.db.execute<Record<string, unknown>>(
      sql`select * from tips where receipt_code = ${receipt.replaceAll('-', '')}`,
    );
    const row = stored.rows[0];
    expect(row?.language).toBe('es');
    expect(row?.red_flags).toEqual(['lot_drop_off', 'fearful_submissive']);
    expect(row?.place_id).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain('unique-narrative-7731');
    expect(JSON.stringify(row)).not.toContain('816-555-0199');
    expect(String(row?.secret_hash)).not.toContain(secret.replaceAll('-', ''));
    const audit = await t.database.db.execute<{ ip: string | null; user_agent: string | null }>(
      sql`select ip, user_agent from audit_log where action = 'tip.received' and entity_id = ${String(row?.id)}`,
    );
    expect(audit.rows).toEqual([{ ip: null, user_agent: null }]);

    const status = await t.app.inject({
      method: 'POST',
      url: `/p/${slug}/tips/follow-up?lang=en`,
      ...form({ receipt: receipt.toLowerCase().replaceAll('-', ' '), secret }),
    });
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('data-testid="status">Received<');

    const added = await t.app.inject({
      method: 'POST',
      url: `/p/${slug}/tips/follow-up/add?lang=en`,
      ...form({ receipt, secret, text: 'The van came back on Friday.' }),
    });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('your information was added to the tip');

    const wrong = await t.app.inject({
      method: 'POST',
      url: `/p/${slug}/tips/follow-up?lang=en`,
      ...form({ receipt, secret: 'AAAAA-AAAAA-AAAAA-AAAAA' }),
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('No tip matches that receipt and secret.');

    const queue = await t.app.inject({ url: '/api/tips', headers: { cookie: supervisor } });
    const listed = queue.json().items.find((i: { id: string }) => i.id === row?.id);
    expect(listed).toMatchObject({ source: 'public', status: 'new', placeName });
    const opened = await t.app.inject({
      url: `/api/tips/${row?.id}`,
      headers: { cookie: supervisor },
    });
    expect(opened.json().content).toMatchObject({
      narrative,
      contact: '816-555-0199',
      contactSafe: 'no',
      vehicles: [{ plate: 'ABC1234', plateState: 'MO', description: 'White Ford van' }],
    });
    expect(opened.json().additions.map((a: { text: string }) => a.text)).toEqual([
      'The van came back on Friday.',
    ]);
  });

  it('leaves nothing of what a tip says in a copy of the database', async () => {
    const words = {
      narrative: `Two girls kept in the sleeper cab ${randomUUID()}`,
      contact: `816-555-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
      vehicle1: `Blue Kenworth ${randomUUID().slice(0, 8)}`,
      plate1: 'ZX9Q42K',
    };
    const sent = await sendTip({ ...words, place: 'Behind the scale house' });
    expect(sent.statusCode).toBe(201);
    const copy = await copyOfDatabase();
    expect(copy.length).toBeGreaterThan(100_000);
    for (const word of [...Object.values(words), 'Behind the scale house']) {
      expect(copy.includes(Buffer.from(word)), word).toBe(false);
    }
    // What the copy does hold in the clear: the receipt, for the sender's follow-up.
    const { receipt } = receiptOf(sent.body);
    expect(copy.includes(Buffer.from(receipt.replaceAll('-', '')))).toBe(true);
  });

  it('keeps a place the agency does not know as the sender wrote it', async () => {
    const sent = await sendTip({ place: 'The old Shell on Route 9', narrative: 'Saw it.' });
    expect(sent.statusCode).toBe(201);
    const { receipt } = receiptOf(sent.body);
    const [tip] = (
      await t.database.db.execute<{ id: string; place_id: string | null }>(
        sql`select id, place_id from tips where receipt_code = ${receipt.replaceAll('-', '')}`,
      )
    ).rows;
    expect(tip?.place_id).toBeNull();
    const opened = await t.app.inject({
      url: `/api/tips/${tip?.id}`,
      headers: { cookie: supervisor },
    });
    expect(opened.json().content.whereText).toBe('The old Shell on Route 9');
  });

  it.each([
    ['narrative', { narrative: 'x'.repeat(5001) }, 'is too long (at most 5000 characters)'],
    ['redFlags', { redFlags: 'not_a_flag', narrative: 'Saw it.' }, 'is not valid'],
    ['seenOn', { seenOn: '2026-13-40', narrative: 'Saw it.' }, 'is not valid'],
    ['narrative', { place: '' }, 'the tip is empty'],
  ])(
    'refuses a tip whose %s is wrong, marking it, keeping what was typed, storing nothing',
    async (field, fields: Record<string, string>, message) => {
      const before = await countTips();
      const sent = await sendTip(fields);
      expect(sent.statusCode).toBe(400);
      expect(sent.body).toContain(`href="#${field === 'redFlags' ? 'flag-0' : field}"`);
      expect(sent.body).toContain(message);
      if (fields.narrative === 'Saw it.') expect(sent.body).toContain('>Saw it.</textarea>');
      expect(await countTips()).toBe(before);
    },
  );

  it('refuses a form sent too soon, or with the honeypot filled, storing nothing', async () => {
    const before = await countTips();
    const fresh = new URLSearchParams({
      started: formToken(testSecrets, slug),
      narrative: 'Too quick to be a person.',
    });
    const quick = await t.app.inject({
      method: 'POST',
      url: `/p/${slug}/tips`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: fresh.toString(),
    });
    expect(quick.statusCode).toBe(400);
    expect(quick.body).toContain('sent too quickly');
    expect(quick.body).toContain('Too quick to be a person.');
    const bot = await sendTip({ narrative: 'Buy now', website: 'http://spam.example' });
    expect(bot.statusCode).toBe(400);
    expect(await countTips()).toBe(before);
    expect(checkFormToken(testSecrets, slug, 'forged.token', 3)).toBe('expired');
  });
});

describe('printable material', () => {
  it.each(['flyer', 'window-card'])(
    'has a %s whose QR code decodes to the agency’s page',
    async (kind) => {
      for (const lang of ['en', 'es']) {
        const response = await page(`/p/${slug}/${kind}.pdf?lang=${lang}`);
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('application/pdf');
        expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
        expect(qrCodeOfPdf(response.rawPayload)).toBe(`https://milepost.example.org/p/${slug}`);
      }
    },
  );
});

describe('abuse', () => {
  it('limits the tips one client sends, and keeps no address of it', async () => {
    const limited = await createTestApp({
      tips: { clientRateLimit: 2, agencyRateLimit: 1000, minFillSeconds: 0 },
    });
    try {
      const agency = await newAgency(limited.database.db);
      const send = () =>
        limited.app.inject({
          method: 'POST',
          url: `/p/${agency.slug}/tips`,
          remoteAddress: '203.0.113.9',
          ...form({ started: formToken(testSecrets, agency.slug), narrative: 'Saw it.' }),
        });
      expect((await send()).statusCode).toBe(201);
      expect((await send()).statusCode).toBe(201);
      const third = await send();
      expect(third.statusCode).toBe(429);
      expect(third.body).toContain('Too many tips were sent from here just now.');
      const dump = await limited.database.db.execute(
        sql`select (select json_agg(t) from tips t)::text || (select json_agg(a) from audit_log a)::text as all`,
      );
      expect(JSON.stringify(dump.rows)).not.toContain('203.0.113.9');
    } finally {
      await limited.close();
    }
  });
});

/**
 * The database as someone who took a copy would hold it: every file of the embedded engine's
 * data folder (tables and write-ahead log), or `pg_dump` of the server's database.
 */
async function copyOfDatabase(): Promise<Buffer> {
  const { pglite, url } = t.database;
  if (pglite) {
    await pglite.query('checkpoint');
    return Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  }
  if (!url) throw new Error('the test database has no address');
  return execFileSync(pgDump(), [url], { maxBuffer: 512 * 1024 * 1024 });
}

/** The newest pg_dump of Debian's PostgreSQL packages (as .ci/run installs), else the PATH's. */
function pgDump(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(`${root}/${v}/bin/pg_dump`))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? `${root}/${newest}/bin/pg_dump` : 'pg_dump';
}

async function countTips(): Promise<number> {
  const result = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from tips`,
  );
  return Number(result.rows[0]?.n);
}
