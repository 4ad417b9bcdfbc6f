import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, launchPersistentBrowser, type Server, startServer } from './support.ts';

let server: Server;
let browser: Browser;

const password = 'demo-password-milepost';
/** A truck stop near Kansas City, where the demo's places are. */
const nearKansasCity = { latitude: 39.0997, longitude: -94.5786 };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    geolocation: nearKansasCity,
    permissions: ['geolocation'],
  });
}

async function signIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const signedIn = page.locator('main h1').filter({ hasNotText: 'Sign in' }).first();
  const refused = page.getByRole('alert');
  await signedIn.or(refused).first().waitFor();
  if (await refused.isVisible()) throw new Error(`sign-in refused: ${await refused.textContent()}`);
}

/** What the server holds, asked with the page's own session. */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (url) => (await fetch(url)).json(), path);
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

interface Me {
  user: { id: string };
}

describe('the field app', () => {
  it('logs an inspection with material that lowers the officer’s stock and shows in the supervisor’s dashboard', async () => {
    // The supervisor watches the dashboard from a desk.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const dashboard = await desk.newPage();
    await signIn(dashboard, 'supervisor@demo.milepost.test');
    await dashboard.getByRole('link', { name: 'Dashboard' }).click();
    const total = dashboard.getByTestId('total-inspections');
    await total.waitFor();
    const totalBefore = Number((await total.textContent())?.replaceAll(',', ''));
    // The map's markers show though its tiles cannot load here (no internet).
    await expect
      .poll(() => dashboard.locator('[data-testid=places-map] path.leaflet-interactive').count())
      .toBeGreaterThan(0);
    expect(Number(await dashboard.getByTestId('targets-todo').textContent())).toBeGreaterThan(0);
    expect(await seriousViolations(dashboard)).toEqual([]);

    const context = await phone();
    const page = await context.newPage();
    await signIn(page, 'officer@demo.milepost.test');
    expect(await seriousViolations(page)).toEqual([]);
    const me = await apiGet<Me>(page, '/api/auth/me');
    const before = await apiGet<{ items: { id: string }[] }>(
      page,
      `/api/inspections?officerId=${me.user.id}&limit=200`,
    );
    const stockBefore = await apiGet<{
      items: { materialId: string; materialName: string; holderId: string; onHand: number }[];
    }>(page, '/api/stock');
    const carried = stockBefore.items.find((h) => h.holderId === me.user.id && h.onHand > 2);
    expect(carried, 'the demo officer carries material').toBeDefined();

    await page.getByRole('link', { name: 'Log inspection' }).first().click();
    await page.getByRole('heading', { name: 'Log inspection' }).waitFor();
    // The nearest known place is chosen from the phone's position.
    await expect.poll(() => page.getByRole('radio').first().isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    const more = page.getByRole('button', { name: `One more ${carried?.materialName}` }).first();
    await more.click();
    await more.click();
    await page.getByRole('button', { name: 'Save inspection' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');

    const after = await apiGet<{ items: { id: string; materials: unknown[] }[] }>(
      page,
      `/api/inspections?officerId=${me.user.id}&limit=200`,
    );
    expect(after.items.length).toBe(before.items.length + 1);
    const stockAfter = await apiGet<typeof stockBefore>(page, '/api/stock');
    const now = stockAfter.items.find(
      (h) => h.holderId === me.user.id && h.materialId === carried?.materialId,
    );
    expect(now?.onHand).toBe((carried?.onHand ?? 0) - 2);
    // The dashboard refreshes by itself: no reload.
    await expect
      .poll(async () => Number((await total.textContent())?.replaceAll(',', '')), {
        timeout: 30_000,
      })
      .toBe(totalBefore + 1);
    await context.close();
    await desk.close();
  });

  it('asks who is signed in as it opens, once, without waiting for its script', async () => {
    const context = await phone();
    const page = await context.newPage();
    await signIn(page, 'officer@demo.milepost.test');
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/auth/me') asked.push(request.url());
    });
    const opened = await page.goto(`${server.baseUrl}/app/`);
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    // The page itself starts the question (a preload); the app's own request takes its answer
    // rather than asking again, which a mismatch of credentials would make it do.
    expect(await opened?.text()).toContain('<link rel="preload" href="/api/auth/me"');
    expect(asked).toHaveLength(1);
    await context.close();
  });

  it('keeps entries made offline through a reload, and sends each exactly once', async () => {
    const context = await phone();
    const page = await context.newPage();
    await signIn(page, 'officer2@demo.milepost.test');
    // The service worker must hold the app's shell before the network goes.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const me = await apiGet<Me>(page, '/api/auth/me');
    const listPath = `/api/inspections?officerId=${me.user.id}&limit=200`;
    const before = (await apiGet<{ items: unknown[] }>(page, listPath)).items.length;

    await context.setOffline(true);
    for (const level of ['I', 'II', 'III']) {
      await page.getByRole('link', { name: 'Log inspection' }).first().click();
      await page.getByLabel('Inspection level').selectOption(level);
      await page.getByRole('button', { name: 'Save inspection' }).click();
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    }
    await expect
      .poll(() => page.getByTestId('pending-count').textContent())
      .toBe('3 waiting to send');
    // Opened again from its address. NOTE: a reload (page.reload() or location.reload()) under
    // Chromium's emulated offline mode never reaches the service worker and shows the browser's
    // error page; loading the address again goes through it, as on a phone without signal.
    await page.goto(`${server.baseUrl}/app/`);
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId('pending-count').textContent())
      .toBe('3 waiting to send');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect
      .poll(() => page.getByTestId('pending-count').textContent(), { timeout: 30_000 })
      .toBe('All sent');
    const after = (await apiGet<{ items: unknown[] }>(page, listPath)).items.length;
    expect(after).toBe(before + 3);
    await context.close();
  });

  it('keeps an entry made offline through closing and restarting the browser', async () => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-profile-'));
    try {
      let browserWindow = await launchPersistentBrowser(profile, {
        viewport: { width: 360, height: 740 },
      });
      let page = browserWindow.pages()[0] ?? (await browserWindow.newPage());
      await signIn(page, 'officer4@demo.milepost.test');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      const me = await apiGet<Me>(page, '/api/auth/me');
      const listPath = `/api/inspections?officerId=${me.user.id}&limit=200`;
      const before = (await apiGet<{ items: unknown[] }>(page, listPath)).items.length;

      await browserWindow.setOffline(true);
      await page.getByRole('link', { name: 'Log inspection' }).first().click();
      await page.getByRole('textbox', { name: 'Notes' }).fill('Logged with no signal');
      await page.getByRole('button', { name: 'Save inspection' }).click();
      await expect
        .poll(() => page.getByTestId('pending-count').textContent())
        .toBe('1 waiting to send');
      await browserWindow.close();

      // The phone's browser starts again later, with signal.
      browserWindow = await launchPersistentBrowser(profile, {
        viewport: { width: 360, height: 740 },
      });
      page = browserWindow.pages()[0] ?? (await browserWindow.newPage());
      await page.goto(`${server.baseUrl}/app/`);
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      await expect
        .poll(() => page.getByTestId('pending-count').textContent(), { timeout: 30_000 })
        .toBe('All sent');
      const after = await apiGet<{ items: { notes: string }[] }>(page, listPath);
      expect(after.items.length).toBe(before + 1);
      expect(after.items.some((i) => i.notes === 'Logged with no signal')).toBe(true);
      await browserWindow.close();
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });

  it('logs a truck-stop visit and an activity the same way', async () => {
    const context = await phone();
    const page = await context.newPage();
    await signIn(page, 'officer3@demo.milepost.test');
    const me = await apiGet<Me>(page, '/api/auth/me');
    const count = async (path: string) =>
      (await apiGet<{ items: unknown[] }>(page, `${path}?officerId=${me.user.id}&limit=200`)).items
        .length;
    const before = {
      visits: await count('/api/outreach-visits'),
      activities: await count('/api/activities'),
    };

    await page.getByRole('link', { name: 'Log visit' }).last().click();
    await page.getByRole('heading', { name: 'Log visit' }).waitFor();
    await expect.poll(() => page.getByRole('radio').first().isChecked()).toBe(true);
    // A place beyond the nearest few, found by name.
    await page.getByLabel('Another place, by name').fill('Higginsville');
    const farAway = page.getByRole('radio', { name: /Pilot Travel Center Higginsville/ });
    await farAway.waitFor({ state: 'attached' });
    await page.getByText('Pilot Travel Center Higginsville').click();
    expect(await farAway.isChecked()).toBe(true);
    for (let i = 0; i < 3; i++)
      await page.getByRole('button', { name: 'One more Drivers' }).click();
    // USWDS draws the box on the label; the input itself is visually hidden.
    await page.getByText('Spoke with the manager').click();
    expect(await page.getByLabel('Spoke with the manager').isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save visit' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();

    await page.getByRole('link', { name: 'Log activity' }).last().click();
    await page.getByLabel('Kind of activity').selectOption('presentations');
    await page.getByRole('button', { name: 'One more How many' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save activity' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');

    expect(await count('/api/outreach-visits')).toBe(before.visits + 1);
    expect(await count('/api/activities')).toBe(before.activities + 1);
    const [visit] = (
      await apiGet<{ items: { reached: object; managerEngaged: boolean }[] }>(
        page,
        `/api/outreach-visits?officerId=${me.user.id}&limit=1`,
      )
    ).items;
    expect(visit).toMatchObject({
      reached: { drivers: 3, staff: 0, public: 0 },
      managerEngaged: true,
    });
    const place = await apiGet<{ name: string }>(
      page,
      `/api/places/${(visit as unknown as { placeId: string }).placeId}`,
    );
    expect(place.name).toBe('Pilot Travel Center Higginsville');

    // Changed afterwards from the officer's own list.
    await page.goto(`${server.baseUrl}/app/records?kind=visits`);
    await page.getByRole('heading', { name: 'My entries' }).waitFor();
    await page.getByRole('link', { name: 'Change' }).first().click();
    await page.getByRole('heading', { name: 'Change visit' }).waitFor();
    await page.getByRole('button', { name: 'One more Staff' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');
    const changed = (
      await apiGet<{ items: { reached: { staff: number } }[] }>(
        page,
        `/api/outreach-visits?officerId=${me.user.id}&limit=1`,
      )
    ).items[0];
    expect(changed?.reached.staff).toBe(1);
    await context.close();
  });

  it('shows a conflict between two edits with both versions, and loses neither', async () => {
    const context = await phone();
    const page = await context.newPage();
    await signIn(page, 'officer5@demo.milepost.test');
    const change = page.getByRole('link', { name: /^Change the inspection/ }).first();
    const href = (await change.getAttribute('href')) ?? '';
    const inspectionId = href.split('/').at(-2) ?? '';
    await change.click();
    await page.getByRole('heading', { name: 'Change inspection' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Meanwhile the supervisor corrects the same inspection.
    const desk = await browser.newContext();
    const supervisor = await desk.newPage();
    await signIn(supervisor, 'supervisor@demo.milepost.test');
    const corrected = await supervisor.evaluate(async (id) => {
      const current = await (await fetch(`/api/inspections/${id}`)).json();
      const response = await fetch(`/api/inspections/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: current.version, notes: 'Supervisor: wrong exit' }),
      });
      return response.status;
    }, inspectionId);
    expect(corrected).toBe(200);

    await page.getByRole('textbox', { name: 'Notes' }).fill('Officer: driver took two cards');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.getByRole('link', { name: /needs your attention/ }).click();
    const row = page.getByRole('row', { name: /^notes/ });
    await expect.poll(() => row.textContent()).toContain('Officer: driver took two cards');
    expect(await row.textContent()).toContain('Supervisor: wrong exit');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');
    const stored = await apiGet<{ notes: string; version: number }>(
      page,
      `/api/inspections/${inspectionId}`,
    );
    expect(stored.notes).toBe('Officer: driver took two cards');
    // The supervisor's correction is in the record's history, not lost.
    await supervisor.evaluate(async (password) => {
      await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo.milepost.test', password }),
      });
    }, password);
    const history = await apiGet<{ items: { action: string; after: { notes?: string } }[] }>(
      supervisor,
      `/api/audit?entityId=${inspectionId}`,
    );
    expect(history.items.map((e) => e.after?.notes)).toContain('Supervisor: wrong exit');
    await desk.close();
    await context.close();
  });

  it('lets a supervisor receive a delivery, issue to an officer, and refuses an overdraw', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desk.newPage();
    await signIn(page, 'supervisor@demo.milepost.test');
    await page.getByRole('link', { name: 'Stock' }).click();
    await page.getByRole('heading', { name: 'Stock', level: 1 }).waitFor();
    const stock = () =>
      apiGet<{
        items: {
          materialId: string;
          materialName: string;
          holderId: string | null;
          onHand: number;
        }[];
      }>(page, '/api/stock');
    const before = await stock();
    const card = before.items.find((h) => h.holderId === null && h.materialName.includes('wallet'));
    expect(card).toBeDefined();
    const materialOption = await page
      .getByLabel('Material')
      .first()
      .locator('option', { hasText: card?.materialName ?? '' })
      .first()
      .getAttribute('value');

    await page
      .getByLabel('Material')
      .first()
      .selectOption(materialOption ?? '');
    await page.getByLabel('Quantity').first().fill('100');
    await page.getByRole('button', { name: 'Receive' }).click();
    await page.getByText(/100 .* received into the store/).waitFor();

    await page
      .getByLabel('Material')
      .nth(1)
      .selectOption(materialOption ?? '');
    await page.getByLabel('Officer').selectOption({ label: 'Officer Dana Reyes' });
    await page.getByLabel('Quantity').nth(1).fill('10');
    await page.getByRole('button', { name: 'Issue', exact: true }).click();
    await page.getByText(/10 .* issued to Officer Dana Reyes/).waitFor();

    const after = await stock();
    const store = after.items.find((h) => h.holderId === null && h.materialId === card?.materialId);
    expect(store?.onHand).toBe((card?.onHand ?? 0) + 100 - 10);

    // More than the store holds: refused, naming the material, and nothing moves.
    await page.getByLabel('Quantity').nth(1).fill('999999');
    await page.getByRole('button', { name: 'Issue', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: card?.materialName ?? '' });
    await refusal.waitFor();
    const unchanged = await stock();
    expect(
      unchanged.items.find((h) => h.holderId === null && h.materialId === card?.materialId)?.onHand,
    ).toBe(store?.onHand);
    expect(await seriousViolations(page)).toEqual([]);
    await desk.close();
  });

  it('lists records with filters, and exports exactly those as CSV', async () => {
    const desk = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await desk.newPage();
    await signIn(page, 'supervisor@demo.milepost.test');
    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByRole('heading', { name: 'Records', level: 1 }).waitFor();
    await page.getByLabel('Officer').selectOption({ label: 'Officer Dana Reyes' });
    const me = await apiGet<{ agency: { timeZone: string } }>(page, '/api/auth/me');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: me.agency.timeZone }).format(
      new Date(),
    );
    await page.getByLabel('From').fill(today);
    // Each filter changes the address and the list: wait for the list's answer to the last.
    const answered = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return (
        url.pathname === '/api/inspections' &&
        url.searchParams.get('from') === today &&
        url.searchParams.get('to') === today
      );
    });
    await page.getByLabel('To').fill(today);
    const listed: { items: { id: string; officerId: string }[] } = await (await answered).json();
    expect(listed.items.length).toBeGreaterThan(0);
    const caption = page.locator('caption').first();
    await expect.poll(() => caption.textContent()).toBe(`Inspections: ${listed.items.length}`);
    expect(page.url()).toContain(`from=${today}`);
    expect(new Set(listed.items.map((i) => i.officerId)).size).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export these as CSV' }).click(),
    ]);
    const exported: { id: string }[] = parse(fs.readFileSync(await download.path(), 'utf8'), {
      bom: true,
      columns: true,
    });
    expect(exported.map((row) => row.id).sort()).toEqual(listed.items.map((i) => i.id).sort());
    await desk.close();
  });

  it('opens the after-action report, whose figures are the dashboard’s, and downloads its files', async () => {
    const desk = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await desk.newPage();
    await signIn(page, 'supervisor@demo.milepost.test');
    await page.getByRole('link', { name: 'Initiatives' }).click();
    await page.getByRole('link', { name: 'Human Trafficking Awareness Week' }).click();
    await page.getByRole('link', { name: 'After-action report and news release' }).click();
    await page.getByRole('heading', { name: /^After-action report/, level: 1 }).waitFor();
    const id = page.url().split('/').at(-2) ?? '';
    const summary = await apiGet<{ totals: Record<string, number> }>(
      page,
      `/api/initiatives/${id}/summary`,
    );
    for (const metric of ['inspections', 'wallet_cards', 'outreach_visits']) {
      await expect
        .poll(() => page.getByTestId(`report-${metric}`).textContent())
        .toBe((summary.totals[metric] ?? 0).toLocaleString('en-US'));
    }
    expect(await seriousViolations(page)).toEqual([]);

    const download = async (name: string | RegExp) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name }).click(),
      ]);
      return fs.readFileSync(await file.path());
    };
    const pdf = await download('The report as a PDF');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const zip = await download(/^The CSV bundle/);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    await page.locator('label', { hasText: /^Persons referred to U.S. attorneys/ }).click();
    await expect
      .poll(() => page.getByLabel(/^Persons referred to U.S. attorneys/).isChecked())
      .toBe(true);
    const docx = await download('Download for Word');
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    expect(docx.toString('latin1')).toContain('word/footnotes.xml');
    const markdown = (await download('Download as Markdown')).toString('utf8');
    expect(markdown).toContain('persons were referred to U.S. attorneys');
    // The statistic's note follows one note per paragraph of the squad's own figures.
    expect(markdown).toMatch(/^\[\^\d+\]: Bureau of Justice Statistics/m);

    await page.getByLabel('What happened, in your words').fill('A good week on I-70.');
    await page.getByRole('button', { name: 'Save the account' }).click();
    await page.getByText('Saved: the report and its PDF carry it.').waitFor();
    await desk.close();
  });

  it('runs a coordinator initiative: published, joined, submitted, totalled', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desk.newPage();
    await signIn(page, 'coordinator@demo.milepost.test');
    await page.getByRole('heading', { name: 'Coordinator initiatives', level: 1 }).waitFor();
    const me = await apiGet<{ agency: { timeZone: string } }>(page, '/api/auth/me');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: me.agency.timeZone }).format(
      new Date(),
    );
    const name = `Awareness Initiative ${Date.now()}`;
    await page.getByLabel('Name').fill(name);
    await page
      .getByRole('group', { name: /^Dates in United States/ })
      .getByLabel('First day')
      .fill(today);
    await page
      .getByRole('group', { name: /^Dates in United States/ })
      .getByLabel('Last day')
      .fill(today);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published: agencies can now join it.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const agency = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const supervisor = await agency.newPage();
    await signIn(supervisor, 'supervisor@demo.milepost.test');
    await supervisor.getByRole('link', { name: 'Coordination' }).click();
    await supervisor.getByRole('link', { name }).click();
    await supervisor.getByRole('button', { name: 'Take part' }).click();
    await supervisor.getByRole('heading', { name: 'Your agency’s submission' }).waitFor();
    const cards = supervisor.getByLabel('Wallet cards');
    const prefilled = Number(await cards.inputValue());
    await cards.fill(String(prefilled + 1));
    expect(await seriousViolations(supervisor)).toEqual([]);
    await supervisor.getByRole('button', { name: 'Submit', exact: true }).click();
    await supervisor.getByText(/^Submitted .*locked/).waitFor();

    await page.getByRole('link', { name }).click();
    await expect
      .poll(() => page.getByTestId('total-wallet_cards').textContent())
      .toBe((prefilled + 1).toLocaleString('en-US'));
    expect(await seriousViolations(page)).toEqual([]);
    await agency.close();
    await desk.close();
  });

  it('plans an initiative with goals, names a bad field, and closes and reopens it', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desk.newPage();
    await signIn(page, 'supervisor@demo.milepost.test');
    await page.getByRole('link', { name: 'Initiatives' }).click();
    await page.getByRole('heading', { name: 'Initiatives', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Plan an initiative' }).click();
    await page.getByLabel('Name').fill('Operation Safe Lot');
    await page.getByLabel('First day (local date)').fill('2027-01-11');
    await page.getByLabel('Last day').fill('2027-01-04');
    await page.getByLabel('Wallet cards').fill('500');
    await page.getByRole('button', { name: 'Plan it' }).click();
    // The server's refusal lands on the field it names.
    await page.locator('#endsOn-error').waitFor();
    expect(await page.locator('#endsOn-error').textContent()).toContain('must not be before');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Last day').fill('2027-01-15');
    await page.getByRole('button', { name: 'Plan it' }).click();
    await page.getByRole('heading', { name: 'Operation Safe Lot' }).waitFor();
    const id = page.url().split('/').at(-1) ?? '';
    const created = await apiGet<{ goals: Record<string, number>; status: string }>(
      page,
      `/api/initiatives/${id}`,
    );
    expect(created).toMatchObject({ goals: { wallet_cards: 500 }, status: 'planned' });

    await page.getByRole('button', { name: 'Close the initiative' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    expect((await apiGet<{ status: string }>(page, `/api/initiatives/${id}`)).status).toBe(
      'closed',
    );
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('button', { name: 'Close the initiative' }).waitFor();
    expect((await apiGet<{ status: string }>(page, `/api/initiatives/${id}`)).status).toBe(
      'planned',
    );
    await desk.close();
  });

  it('lets the agency administrator add, deactivate and rename', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desk.newPage();
    await signIn(page, 'admin@demo.milepost.test');
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await page.getByLabel('Email').fill('new.officer@demo.milepost.test');
    await page.getByLabel('Name as shown').fill('Officer Sam New');
    await page.getByLabel(/First password/).fill('short');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.locator('#new-password-error').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel(/First password/).fill('a long and unusual passphrase 7');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Officer Sam New can now sign in').waitFor();
    await page.getByRole('button', { name: 'Deactivate Officer Sam New' }).click();
    await page.getByRole('button', { name: 'Reactivate Officer Sam New' }).waitFor();
    const users = await apiGet<{ items: { email: string; active: boolean }[] }>(
      page,
      '/api/users?limit=200',
    );
    expect(users.items.find((u) => u.email === 'new.officer@demo.milepost.test')?.active).toBe(
      false,
    );

    await page.getByRole('link', { name: 'Agency settings' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Demo City Police Department');
    await page.getByRole('button', { name: 'Add a number' }).click();
    // The demo agency shows its tip line already; the new number goes after it.
    await page.getByLabel('Label').last().fill('Missouri human trafficking hotline');
    await page.getByLabel('Number').last().fill('1-888-373-7888');
    await page.getByLabel('Tell an officer to restock below').fill('25');
    await page.getByRole('button', { name: 'Save' }).click();
    const saved = page.getByText(/^Saved/);
    await saved.or(page.getByRole('alert')).first().waitFor();
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    await saved.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const me = await apiGet<{ agency: { id: string; name: string } }>(page, '/api/auth/me');
    expect(me.agency.name).toBe('Demo City Police Department');
    const agency = await apiGet<{ hotlines: { number: string }[]; stockPolicy: object }>(
      page,
      `/api/agencies/${me.agency.id}`,
    );
    expect(agency.hotlines.map((h) => h.number)).toEqual(['816-555-0142', '1-888-373-7888']);
    expect(agency.stockPolicy).toEqual({ lowThreshold: 25, drawOnStore: true });
    await desk.close();
  });

  it('fits every screen at 360 and at 1280 pixels, with no placeholder left', async () => {
    const screens = {
      'officer@demo.milepost.test': [
        '/app/',
        '/app/inspections/new',
        '/app/visits/new',
        '/app/outbox',
        '/app/records',
      ],
      'supervisor@demo.milepost.test': [
        '/app/dashboard',
        '/app/records',
        '/app/initiatives',
        '/app/initiatives/6d696c65-706f-4374-8000-000000000001/report',
        '/app/stock',
        '/app/tips',
      ],
      'investigator@demo.milepost.test': ['/app/tips'],
      'admin@demo.milepost.test': ['/app/people', '/app/agency'],
      'coordinator@demo.milepost.test': ['/app/coordination'],
    };
    const overflowing: string[] = [];
    for (const [email, paths] of Object.entries(screens)) {
      for (const width of [360, 1280]) {
        const context = await browser.newContext({
          viewport: { width, height: 800 },
          geolocation: nearKansasCity,
          permissions: ['geolocation'],
        });
        const page = await context.newPage();
        await signIn(page, email);
        for (const screen of paths) {
          await page.goto(`${server.baseUrl}${screen}`);
          await page.locator('main h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          const excess = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          if (excess > 0) overflowing.push(`${screen} at ${width} px: ${excess} px too wide`);
          const text = (await page.locator('main').textContent()) ?? '';
          if (/lorem|TODO|undefined|NaN|\[object Object\]/i.test(text)) {
            overflowing.push(`${screen} at ${width} px shows placeholder text`);
          }
        }
        await context.close();
      }
    }
    expect(overflowing).toEqual([]);
  });

  it('passes axe on every screen, under the strict Content-Security-Policy', async () => {
    const context = await phone();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${server.baseUrl}/app/`);
    await page.getByLabel('Email').waitFor();
    const screens: Record<string, string[]> = { 'sign-in': await seriousViolations(page) };
    await signIn(page, 'officer4@demo.milepost.test');
    screens.today = await seriousViolations(page);
    await page.getByRole('link', { name: 'Log inspection' }).first().click();
    await page.getByRole('button', { name: /^Red flags/ }).click();
    await page.getByLabel('Branding tattoos').waitFor();
    screens['log inspection'] = await seriousViolations(page);
    await page.goto(`${server.baseUrl}/app/outbox`);
    await page.getByRole('heading', { name: 'Waiting to send' }).waitFor();
    screens['waiting to send'] = await seriousViolations(page);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Primary' }).getByText('Today').waitFor();
    screens.menu = await seriousViolations(page);
    expect(screens).toEqual({
      'sign-in': [],
      today: [],
      'log inspection': [],
      'waiting to send': [],
      menu: [],
    });
    expect(refused).toEqual([]);
    await context.close();
  });

  it('keeps what was being typed when the session ends, for the same officer only', async () => {
    const context = await phone();
    const page = await context.newPage();
    await signIn(page, 'officer2@demo.milepost.test');
    await page.getByRole('link', { name: 'Log inspection' }).first().click();
    const notes = page.getByRole('textbox', { name: 'Notes' });
    await notes.fill('Half-typed: blue Peterbilt, Missouri plate');

    // The session ends on the server (here: its cookie is gone); the app notices on return.
    await context.clearCookies();
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.getByText('Your session ended').waitFor();
    await page.getByLabel('Email').fill('officer2@demo.milepost.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Log inspection' }).waitFor();
    expect(await notes.inputValue()).toBe('Half-typed: blue Peterbilt, Missouri plate');

    // Another officer on the same phone starts from a clean form.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'officer3@demo.milepost.test');
    await page.goto(`${server.baseUrl}/app/inspections/new`);
    await page.getByRole('heading', { name: 'Log inspection' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe('');
    await context.close();
  });

  it('takes an inspection from the keyboard alone', async () => {
    const context = await phone();
    const page = await context.newPage();
    /** Presses Tab until `matches` holds for the focused element (at most 60 times). */
    const tabTo = async (matches: (el: { text: string; id: string; big: boolean }) => boolean) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => ({
          text: document.activeElement?.textContent?.trim() ?? '',
          id: document.activeElement?.id ?? '',
          big: document.activeElement?.classList.contains('usa-button--big') ?? false,
        }));
        if (matches(focused)) return;
      }
      throw new Error('Tab never reached the element');
    };
    await page.goto(`${server.baseUrl}/app/`);
    await tabTo((el) => el.id === 'email');
    await page.keyboard.type('officer3@demo.milepost.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const me = await apiGet<Me>(page, '/api/auth/me');
    const listPath = `/api/inspections?officerId=${me.user.id}&limit=200`;
    const before = (await apiGet<{ items: unknown[] }>(page, listPath)).items.length;

    await tabTo((el) => el.text === 'Log inspection' && el.big);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Log inspection' }).waitFor();
    await tabTo((el) => el.id === 'level');
    await page.keyboard.press('End'); // the last level, VIII
    await tabTo((el) => el.text === 'Save inspection');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');
    const after = await apiGet<{ items: { level: string }[] }>(page, listPath);
    expect(after.items.length).toBe(before + 1);
    expect(after.items[0]?.level).toBe('VIII');
    await context.close();
  });
});
