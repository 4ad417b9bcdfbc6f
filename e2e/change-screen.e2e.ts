import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Server, startServer } from './support.ts';

let server: Server;
let browser: Browser;

const password = 'demo-password-milepost';
const nearKansasCity = { latitude: 39.0997, longitude: -94.5786 };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('main h1').filter({ hasNotText: 'Sign in' }).first().waitFor();
}

/** A request to the API with the page's own session, as the app makes it. */
async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const { status, json } = await page.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    },
    { method, path, body },
  );
  if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json as T;
}

interface Inspection {
  id: string;
  version: number;
  notes: string;
  placeId: string | null;
  position: unknown;
  level: string;
  usdotNumber: string | null;
  reportNumber: string | null;
  outreachGiven: boolean;
  materials: { materialId: string; quantity: number }[];
  redFlags: string[];
  action: string;
  [field: string]: unknown;
}
interface Holding {
  materialId: string;
  materialName: string;
  holderId: string | null;
  onHand: number;
}

describe('the change screen of an inspection', () => {
  it('changes the note alone: the flags, action, USDOT number, place, material and stock stay', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      geolocation: nearKansasCity,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await signIn(page, 'officer@demo.milepost.test');
    const me = await apiCall<{ user: { id: string } }>(page, 'GET', '/api/auth/me');
    const stockBefore = await apiCall<{ items: Holding[] }>(page, 'GET', '/api/stock');
    const carried = stockBefore.items.find((h) => h.holderId === me.user.id && h.onHand > 2);
    expect(carried, 'the demo officer carries material').toBeDefined();

    // Logged at the roadside: the nearest place, two of a material, two red flags, referred.
    await page.getByRole('link', { name: 'Log inspection' }).first().click();
    await page.getByRole('heading', { name: 'Log inspection' }).waitFor();
    await expect.poll(() => page.getByRole('radio').first().isChecked()).toBe(true);
    const more = page.getByRole('button', { name: `One more ${carried?.materialName}` }).first();
    await more.click();
    await more.click();
    await page.getByRole('button', { name: 'Red flags' }).click();
    await page.getByText('Someone else holds their ID').click();
    await page.getByText('Dropped in the truck lot, going truck to truck').click();
    await page.getByLabel('Action taken').selectOption('referred_to_investigators');
    await page
      .getByRole('textbox', { name: 'Notes' })
      .fill('Passenger said they were going to Jolpin');
    await page.getByRole('button', { name: 'Save inspection' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');

    const listed = await apiCall<{ items: Inspection[] }>(
      page,
      'GET',
      `/api/inspections?officerId=${me.user.id}&limit=5`,
    );
    const logged = listed.items.find((i) => i.notes.endsWith('Jolpin'));
    expect(logged?.redFlags.sort()).toEqual(['id_held_by_other', 'lot_drop_off']);
    expect(logged?.placeId).not.toBeNull();
    // The state's report, linked afterwards from the desk's copy.
    const linked = await apiCall<Inspection>(page, 'PATCH', `/api/inspections/${logged?.id}`, {
      version: logged?.version,
      usdotNumber: '3141592',
      reportNumber: 'MO-2026-1187',
    });
    const stockLogged = await apiCall<{ items: Holding[] }>(page, 'GET', '/api/stock');

    // Later, on the change screen: the typo in the note, nothing else.
    await page.goto(`${server.baseUrl}/app/`);
    await page.locator(`a[href$="/inspections/${linked.id}/edit"]`).click();
    await page.getByRole('heading', { name: 'Change inspection' }).waitFor();
    const notes = page.getByRole('textbox', { name: 'Notes' });
    expect(await notes.inputValue()).toBe('Passenger said they were going to Jolpin');
    await notes.fill('Passenger said they were going to Joplin');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All sent');

    const changed = await apiCall<Inspection>(page, 'GET', `/api/inspections/${linked.id}`);
    expect(changed.notes).toBe('Passenger said they were going to Joplin');
    expect(changed.version).toBe(linked.version + 1);
    const { notes: _, version: __, updatedAt: ___, ...rest } = changed;
    const { notes: _n, version: _v, updatedAt: _u, ...was } = linked;
    expect(rest).toEqual(was);
    expect(changed).toMatchObject({
      usdotNumber: '3141592',
      reportNumber: 'MO-2026-1187',
      action: 'referred_to_investigators',
      materials: [{ materialId: carried?.materialId, quantity: 2 }],
    });
    const stockChanged = await apiCall<{ items: Holding[] }>(page, 'GET', '/api/stock');
    expect(stockChanged.items).toEqual(stockLogged.items);
    const mine = stockChanged.items.find(
      (h) => h.holderId === me.user.id && h.materialId === carried?.materialId,
    );
    expect(mine?.onHand).toBe((carried?.onHand ?? 0) - 2);

    // Its entry in the supervisor's tip queue still shows what the officer saw and did.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const supervisor = await desk.newPage();
    await signIn(supervisor, 'supervisor@demo.milepost.test');
    const queue = await apiCall<{
      items: { inspectionId: string | null; redFlags: string[]; action: string | null }[];
    }>(supervisor, 'GET', '/api/tips?source=inspection&limit=200');
    const entry = queue.items.find((tip) => tip.inspectionId === linked.id);
    expect(entry?.redFlags.sort()).toEqual(['id_held_by_other', 'lot_drop_off']);
    expect(entry?.action).toBe('referred_to_investigators');
    await desk.close();
    await context.close();
  });
});
