import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, ConsoleMessage } from 'playwright-core';
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

async function seriousViolations(page: import('playwright-core').Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}`);
}

describe('in a real browser', () => {
  it('shows the front page, accessible, on a 360-pixel phone', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Milepost');
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    expect(overflow).toBe(false);
    await context.close();
  });

  it('renders the API documentation under the strict Content-Security-Policy', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      if (/Content Security Policy|Refused to/.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${server.baseUrl}/api/docs`);
    await page.getByText('/api/auth/login').first().waitFor();
    expect(refused).toEqual([]);
    await page.close();
  });

  it('keeps the session cookie from scripts and from other sites', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    const signIn = await page.evaluate(async () => {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'admin@demo.milepost.test',
          password: 'demo-password-milepost',
        }),
      });
      return {
        status: response.status,
        cookieVisible: document.cookie.includes('milepost_session'),
      };
    });
    expect(signIn).toEqual({ status: 200, cookieVisible: false });
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me.user.role).toBe('agency_admin');

    // A page of another site tries to sign the user out with their cookie.
    const target = `${server.baseUrl.replace('127.0.0.1', 'localhost')}/api/auth/logout`;
    const evil = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.2', resolve));
    const evilUrl = `http://127.0.0.2:${(evil.address() as AddressInfo).port}/`;
    // Sign in on the localhost name too, so that a cookie for the target exists.
    const local = await context.newPage();
    await local.goto(server.baseUrl.replace('127.0.0.1', 'localhost'));
    await local.evaluate(async () => {
      await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'admin@demo.milepost.test',
          password: 'demo-password-milepost',
        }),
      });
    });
    const attacker = await context.newPage();
    await attacker.goto(evilUrl);
    await attacker.evaluate(async (url) => {
      await fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors' }).catch(() => {});
    }, target);
    const still = await local.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(still).toBe(200);
    evil.close();
    await context.close();
  });
});
