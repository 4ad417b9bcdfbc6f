import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Server, startServer } from './support.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const hostileName = '<img src=x onerror=alert(1)>';

async function signIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/app/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo-password-milepost');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('main h1').filter({ hasNotText: 'Sign in' }).first().waitFor();
}

/** A request with the page's own session, as the app makes them. */
function api(page: Page, method: string, path: string, body?: string, type = 'application/json') {
  return page.evaluate(
    async ({ method, path, body, type }) => {
      const response = await fetch(path, {
        method,
        headers: body === undefined ? {} : { 'content-type': type },
        body,
      });
      return { status: response.status, json: await response.json() };
    },
    { method, path, body, type },
  );
}

describe('the dashboard map', () => {
  it('shows a place’s name in its tooltip as text, never as markup', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await signIn(page, 'supervisor@demo.milepost.test');

    // A place named as a hostile OpenStreetMap contributor might, imported like any other.
    const imported = await api(
      page,
      'POST',
      '/api/imports/places',
      `kind,name,lat,lon\ntruck_stop,"${hostileName}",39.07,-94.45\n`,
      'text/csv',
    );
    expect(imported.status).toBe(200);
    const found = await api(page, 'GET', '/api/places?q=imgsrcx');
    const place = found.json.items[0];
    expect(place.name).toBe(hostileName);
    // A target of the running initiative, so that the map shows it.
    const initiatives = await api(page, 'GET', '/api/initiatives?limit=50');
    const week = initiatives.json.items.find((i: { status: string }) => i.status === 'active');
    const targeted = await api(
      page,
      'PATCH',
      `/api/initiatives/${week.id}`,
      JSON.stringify({ version: week.version, targetPlaceIds: [...week.targetPlaceIds, place.id] }),
    );
    expect(targeted.status, JSON.stringify(targeted.json)).toBe(200);

    await page.goto(`${server.baseUrl}/app/dashboard`);
    const markers = page.locator('[data-testid=places-map] path.leaflet-interactive');
    await expect.poll(() => markers.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const tooltip = page.locator('.leaflet-tooltip');
    let shown = '';
    for (let i = 0; i < (await markers.count()) && !shown.includes(hostileName); i++) {
      await markers.nth(i).dispatchEvent('mouseover');
      shown = (await tooltip.last().textContent()) ?? '';
      await markers.nth(i).dispatchEvent('mouseout');
    }
    expect(shown).toBe(`${hostileName}: target, not yet visited`);
    // The name stayed text: no image was made of it, nothing ran.
    expect(await page.locator('[data-testid=places-map] img[src="x"]').count()).toBe(0);
    expect(await page.locator('.leaflet-tooltip img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
