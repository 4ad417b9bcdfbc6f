// The public side under load, on one process: an agency's page, and tips sent from its form, by
// 100 concurrent clients; requests a second and p99 latency. Also the page's weight on the wire
// (HTML, stylesheet and script, compressed as a browser asks for them; no images). Targets: the
// page under 50 KB; the rates are reported.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { formToken } from '#server/features/public/public.service.ts';
import { loadReferencePack } from '#server/features/statistics/statistics.service.ts';
import { createSecrets } from '#server/secrets.ts';
import { saveResults } from './results.ts';
import { type Engine, eachEngineApart, scratchDatabase, seedAgency } from './support.ts';

const clients = 100;
const requestsPerEngine = {
  pglite: { page: Number(process.env.BENCH_PUBLIC_PAGES_PGLITE ?? 3000), tips: 1000 },
  postgres: { page: Number(process.env.BENCH_PUBLIC_PAGES ?? 10000), tips: 3000 },
};

async function benchEngine(engine: Engine) {
  const scratch = await scratchDatabase(engine, 20);
  try {
    const { agency } = await seedAgency(scratch.handle, 1);
    await loadReferencePack(scratch.handle.db);
    const secrets = createSecrets([randomBytes(32)]);
    const config = {
      ...loadConfig({}),
      // The limits that protect a real agency would stop a load test at its first second.
      tips: { clientRateLimit: 1_000_000_000, agencyRateLimit: 1_000_000_000, minFillSeconds: 0 },
    };
    const app = await buildApp({ database: scratch.handle, config, secrets, logger: false });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const pageUrl = `${base}/p/${agency.slug}`;

    // The weight a phone downloads: the page, then what it links, each compressed.
    const html = await (
      await fetch(pageUrl, { headers: { 'accept-encoding': 'identity' } })
    ).text();
    const linked = [...html.matchAll(/<(?:link|script)[^>]*(?:href|src)="([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    const files = [
      html,
      ...(await Promise.all(linked.map(async (u) => (await fetch(`${base}${u}`)).text()))),
    ];
    const rawBytes = files.reduce((sum, f) => sum + Buffer.byteLength(f), 0);
    const wireBytes = files.reduce((sum, f) => sum + gzipSync(f).length, 0);

    const counts = requestsPerEngine[engine];
    const page = await autocannon({
      url: pageUrl,
      connections: clients,
      amount: counts.page,
      workers: 1,
      headers: { 'accept-encoding': 'gzip', 'accept-language': 'es-MX,es;q=0.9' },
    });
    const form = new URLSearchParams({
      started: formToken(secrets, agency.slug, Date.now() - 60_000),
      redFlags: 'lot_drop_off',
      narrative: 'A car dropped two people at the trucks and came back for them later.',
      plate1: 'ABC1234',
      contact: '',
    }).toString();
    const tips = await autocannon({
      url: `${pageUrl}/tips`,
      method: 'POST',
      connections: clients,
      amount: counts.tips,
      workers: 1,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    await app.close();
    const stored = await scratch.handle.db.execute<{ n: number }>(
      sql`select count(*)::int as n from tips`,
    );
    if (page.non2xx > 0 || tips.non2xx > 0 || Number(stored.rows[0]?.n) !== counts.tips) {
      throw new Error(
        `${engine}: ${page.non2xx} pages and ${tips.non2xx} tips not answered 2xx; ${stored.rows[0]?.n} tips stored of ${counts.tips}`,
      );
    }
    return {
      engine,
      clients,
      page: {
        requests: counts.page,
        perSecond: Math.round(counts.page / (page.duration || 1)),
        p50Ms: page.latency.p50,
        p99Ms: page.latency.p99,
      },
      tips: {
        requests: counts.tips,
        perSecond: Math.round(counts.tips / (tips.duration || 1)),
        p50Ms: tips.latency.p50,
        p99Ms: tips.latency.p99,
      },
      pageWeight: {
        rawKB: +(rawBytes / 1024).toFixed(1),
        onTheWireKB: +(wireBytes / 1024).toFixed(1),
      },
      target: 'page under 50 KB on the wire',
    };
  } finally {
    await scratch.drop();
  }
}

const runs = await eachEngineApart(import.meta.filename, benchEngine);
for (const r of runs) {
  process.stdout.write(
    `${r.engine.padEnd(8)} public page ${r.page.perSecond}/s (p50 ${r.page.p50Ms} ms, p99 ${r.page.p99Ms} ms)` +
      ` | tips ${r.tips.perSecond}/s (p50 ${r.tips.p50Ms} ms, p99 ${r.tips.p99Ms} ms), ${r.clients} clients` +
      ` | page ${r.pageWeight.onTheWireKB} KB on the wire (${r.pageWeight.rawKB} KB uncompressed; ${r.target})\n`,
  );
}
process.stdout.write(`saved ${saveResults('public', { runs })}\n`);
