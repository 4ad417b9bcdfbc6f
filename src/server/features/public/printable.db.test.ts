import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAgency } from '#test/factories.ts';
import { qrCodeOfPdf } from '#test/pdf-qr.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';

/** GET over a real connection, with whatever Host and forwarding headers a client makes up. */
function get(base: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const request = http.get(new URL(path, base), { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
      );
    });
    request.on('error', reject);
  });
}

const forged = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
};

describe('the QR code of printed material, without MILEPOST_PUBLIC_URL', () => {
  let t: TestApp;
  let base: string;
  let slug: string;
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: undefined });
    slug = (await newAgency(t.database.db)).slug;
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('leads to the address the request reached Milepost at, whatever Host it names', async () => {
    for (const kind of ['flyer', 'window-card']) {
      const response = await get(base, `/p/${slug}/${kind}.pdf`, forged);
      expect(response.status).toBe(200);
      expect(qrCodeOfPdf(response.body)).toBe(`${base}/p/${slug}`);
    }
  });
});

describe('the QR code of printed material, behind a proxy', () => {
  it('is refused without MILEPOST_PUBLIC_URL, naming it, and leads there with it', async () => {
    const unset = await createTestApp({ publicUrl: undefined, trustProxy: true });
    const set = await createTestApp({
      publicUrl: 'https://milepost.example.org',
      trustProxy: true,
    });
    try {
      const slug = (await newAgency(unset.database.db)).slug;
      const refused = await unset.app.inject({ url: `/p/${slug}/flyer.pdf`, headers: forged });
      expect(refused.statusCode).toBe(503);
      expect(refused.body).toContain('Public address not set');
      expect(refused.body).toContain('MILEPOST_PUBLIC_URL');
      expect(refused.body).not.toContain('evil.example');

      const other = (await newAgency(set.database.db)).slug;
      const printed = await set.app.inject({ url: `/p/${other}/window-card.pdf`, headers: forged });
      expect(printed.statusCode).toBe(200);
      expect(qrCodeOfPdf(printed.rawPayload)).toBe(`https://milepost.example.org/p/${other}`);
    } finally {
      await Promise.all([unset.close(), set.close()]);
    }
  });
});
