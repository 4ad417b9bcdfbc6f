import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRoutes } from './web-app.routes.ts';

const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-web-'));
const dir = path.join(outside, 'web');
const app = Fastify();

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for the web');
  await app.register(webAppRoutes, { dir });
});
afterAll(async () => {
  await app.close();
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('the web app’s files', () => {
  it('serves hashed assets for good and the rest to be checked each time', async () => {
    const asset = await app.inject('/app/assets/main-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const worker = await app.inject('/app/sw.js');
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('compresses what it sends to a browser that accepts it', async () => {
    fs.writeFileSync(path.join(dir, 'assets', 'big-def456.js'), 'const x = 1;\n'.repeat(2000));
    const response = await app.inject({
      url: '/app/assets/big-def456.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.rawPayload.length).toBeLessThan(2000);
  });

  it('answers the app’s own addresses with index.html, and a missing file with 404', async () => {
    const screen = await app.inject('/app/inspections/new');
    expect(screen.statusCode).toBe(200);
    expect(screen.body).toContain('<title>app</title>');
    expect((await app.inject('/app/assets/gone-123.js')).statusCode).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    for (const url of ['/app/../secret.txt', '/app/%2e%2e/secret.txt', '/app/..%2fsecret.txt']) {
      const response = await app.inject(url);
      expect(response.body, url).not.toContain('not for the web');
    }
  });
});
