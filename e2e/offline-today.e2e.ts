import type { Browser } from 'playwright-core';
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

describe('Today, opened again without a network', () => {
  it('says Milepost cannot be reached instead of loading for ever over zeros', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/app/`);
    await page.getByLabel('Email').fill('officer5@demo.milepost.test');
    await page.getByLabel('Password').fill('demo-password-milepost');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // The demo's officers have logged inspections in the running initiative.
    const initiativeCount = page.getByTestId('Initiative-inspections');
    await expect.poll(() => initiativeCount.textContent()).toMatch(/^[1-9]\d*$/);

    await context.setOffline(true);
    // Loading the address again goes through the service worker, as on a phone without signal.
    await page.goto(`${server.baseUrl}/app/`);
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    // Each question is tried three times (the app's retries), a few seconds in all.
    await expect
      .poll(() => page.locator('.today__initiative').textContent(), { timeout: 20_000 })
      .toContain('Milepost cannot be reached: the initiative and your counts show when it can');
    expect(await initiativeCount.textContent()).toBe('–');
    expect(await page.getByTestId('Today-inspections').textContent()).toBe('–');
    await context.close();
  });
});
