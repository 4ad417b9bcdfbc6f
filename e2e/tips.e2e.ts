import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Server, startServer } from './support.ts';

let server: Server;
let browser: Browser;
const password = 'demo-password-milepost';

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

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('the public pages', () => {
  it('meet WCAG 2.1 AA by axe, in each language, with the form’s errors, its receipt and its follow-up', async () => {
    // axe runs in the page, so this phone has JavaScript; the pages are the same without it.
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await phone.newPage();
    for (const lang of ['en', 'es', 'fr']) {
      await page.goto(`${server.baseUrl}/p/demo?lang=${lang}`);
      expect(await seriousViolations(page), lang).toEqual([]);
    }
    await page.goto(`${server.baseUrl}/p/demo?lang=en`);
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Send the tip' }).click();
    await page.getByRole('heading', { name: 'Please check the form' }).waitFor();
    expect(await seriousViolations(page), 'errors').toEqual([]);
    await page.getByLabel('What happened?').fill('A test of the form, from the browser tests.');
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Send the tip' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Thank you. Your tip was received.' })
      .waitFor();
    expect(await seriousViolations(page), 'receipt').toEqual([]);
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    const secret = (await page.getByTestId('secret').textContent()) ?? '';
    await page.getByRole('link', { name: 'Check on a tip you sent' }).click();
    expect(await seriousViolations(page), 'follow-up').toEqual([]);
    await page.getByLabel('Receipt').fill(receipt);
    await page.getByLabel('Secret').fill(secret);
    await page.getByRole('button', { name: 'Show the tip’s status' }).click();
    await page.getByTestId('status').waitFor();
    expect(await seriousViolations(page), 'status').toEqual([]);
    await phone.close();
  });
});

describe('a tip from a phone without JavaScript', () => {
  let receipt = '';
  let secret = '';
  let tipId = '';

  it('is read in Spanish and sent, anonymously, with a receipt', async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
      locale: 'en-US',
    });
    const page = await phone.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.baseUrl)) outside.push(request.url());
    });
    await page.goto(`${server.baseUrl}/p/demo`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: /Trata de personas/ }).waitFor();
    expect(await page.getByText('Llame primero al 911.').isVisible()).toBe(true);
    expect(await page.getByText('1-888-373-7888').isVisible()).toBe(true);
    // Without JavaScript, "use where I am now" stays hidden; the rest of the form works.
    expect(await page.getByRole('button', { name: 'Usar mi ubicación actual' }).isVisible()).toBe(
      false,
    );

    await page.getByLabel('Un vehículo deja personas en el estacionamiento').check();
    await page.getByLabel('Un lugar que conocemos').fill('I-70 Rest Area');
    await page
      .getByLabel('¿Qué pasó?')
      .fill('Una camioneta blanca dejó a dos jóvenes junto a los camiones.');
    await page.getByLabel('Placa', { exact: true }).first().fill('ABC1234');
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Enviar el aviso' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gracias. Recibimos su aviso.' }).waitFor();
    receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    secret = (await page.getByTestId('secret').textContent()) ?? '';
    expect(receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(secret).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    expect(outside).toEqual([]);
    await phone.close();
  });

  it('reaches the supervisor’s queue, who refers it to the hotline', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desk.newPage();
    await signIn(page, 'supervisor@demo.milepost.test');
    await page.getByRole('link', { name: 'Tips', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tips' }).waitFor();
    const row = page.locator('tr', { hasText: receipt });
    await row.waitFor();
    expect(await row.textContent()).toContain('From the public');
    expect(await seriousViolations(page)).toEqual([]);
    const spanishFlyer = page.locator('li[lang="es"]').getByRole('link', { name: 'flyer (PDF)' });
    const flyer = await page.request.get(
      new URL((await spanishFlyer.getAttribute('href')) ?? '', server.baseUrl).href,
    );
    expect(flyer.headers()['content-type']).toBe('application/pdf');
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `Tip ${receipt}` }).waitFor();
    tipId = page.url().split('/').at(-1) ?? '';
    expect(await page.getByText('Una camioneta blanca dejó a dos jóvenes').isVisible()).toBe(true);
    expect(await page.getByText('Plate ABC1234').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('What was shared').fill('The red flag, the place and the plate.');
    await page.getByRole('button', { name: 'Record the referral' }).click();
    await page.getByText('Referral recorded: the tip is now referred.').waitFor();
    await expect.poll(() => page.locator('.tip-status').first().textContent()).toBe('Referred');
    await desk.close();
  });

  it('shows its sender that it was referred, and takes more from them', async () => {
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
    });
    const page = await phone.newPage();
    await page.goto(`${server.baseUrl}/p/demo/tips/follow-up?lang=en`);
    await page.getByLabel('Receipt').fill(receipt.toLowerCase());
    await page.getByLabel('Secret').fill(secret);
    await page.getByRole('button', { name: 'Show the tip’s status' }).click();
    await page.getByRole('heading', { level: 1, name: `Status of tip ${receipt}` }).waitFor();
    expect(await page.getByTestId('status').textContent()).toBe('Referred');
    await page.getByLabel('What else should we know?').fill('The van was back on Sunday night.');
    await page.getByRole('button', { name: 'Add it to the tip' }).click();
    await page.getByText('your information was added to the tip').waitFor();
    await phone.close();
  });

  it('is open to the investigator on a phone, whole on its narrow screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await signIn(page, 'investigator@demo.milepost.test');
    // An investigator's first screen is the queue.
    await page.getByRole('heading', { level: 1, name: 'Tips' }).waitFor();
    await page.goto(`${server.baseUrl}/app/tips/${tipId}`);
    await page.getByRole('heading', { level: 1, name: `Tip ${receipt}` }).waitFor();
    expect(await page.getByText('The red flag, the place and the plate.').isVisible()).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('is refused to an officer, and the attempt is in the audit log', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await signIn(page, 'officer@demo.milepost.test');
    expect(await page.getByRole('link', { name: 'Tips', exact: true }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/app/tips/${tipId}`);
    await page.getByText('This tip could not be opened').waitFor();
    expect(await page.getByText('Una camioneta blanca').count()).toBe(0);
    const officer = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    await context.close();

    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await signIn(adminPage, 'admin@demo.milepost.test');
    const audit = await adminPage.evaluate(
      async (id) => (await fetch(`/api/audit?entityId=${id}`)).json(),
      tipId,
    );
    const refusals = audit.items.filter(
      (e: { action: string; actorId: string }) =>
        e.action === 'tip.access_refused' && e.actorId === officer.user.id,
    );
    expect(refusals.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.items)).not.toContain('Una camioneta blanca');
    await admin.close();
  });
});
