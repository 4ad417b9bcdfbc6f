// The nearest places to a point among 100,000 places of one agency, as the field app asks at the
// roadside (`GET /api/places?near=LAT,LON&limit=10`), against its baseline in the same run: the
// same ten places found by ordering every place by distance (a full scan).
import { sql } from 'drizzle-orm';
import { listPlacesNear } from '#server/features/places/places.repository.ts';
import { saveResults } from './results.ts';
import {
  type Engine,
  eachEngineApart,
  percentile,
  scratchDatabase,
  seedAgency,
} from './support.ts';

const count = Number(process.env.BENCH_PLACES ?? 100_000);

async function benchEngine(engine: Engine) {
  const scratch = await scratchDatabase(engine, 2);
  try {
    const { db } = scratch.handle;
    const { agency } = await seedAgency(scratch.handle, 1);
    // Spread over the continental United States, on a hashed grid so every run is the same.
    await db.execute(sql`insert into places (id, agency_id, kind, name, normalized_name, lat, lon, request_hash)
      select gen_random_uuid(), ${agency.id}, 'truck_stop', 'Stop ' || g, 'stop' || g,
        25 + (abs(hashtext('lat' || g)) % 2400) / 100.0, -124 + (abs(hashtext('lon' || g)) % 5700) / 100.0, 'bench'
      from generate_series(1, ${count}) g`);
    await db.execute(sql`analyze places`);
    const points = [
      { lat: 39.0997, lon: -94.5786 },
      { lat: 41.8781, lon: -87.6298 },
      { lat: 32.7767, lon: -96.797 },
      { lat: 45.5152, lon: -122.6784 },
    ];
    const measure = async (find: (p: { lat: number; lon: number }) => Promise<string[]>) => {
      const times: number[] = [];
      let answers: string[][] = [];
      for (let round = 0; round < 6; round++) {
        answers = [];
        for (const point of points) {
          const t0 = performance.now();
          answers.push(await find(point));
          if (round > 0) times.push(performance.now() - t0);
        }
      }
      return { times: times.sort((a, b) => a - b), answers };
    };
    const ours = await measure(async (point) =>
      (await listPlacesNear(db, { agencyId: agency.id }, point, 10)).map((p) => p.id),
    );
    const baseline = await measure(async (point) => {
      const result = await db.execute<{
        id: string;
      }>(sql`select id from places where agency_id = ${agency.id}
        order by 2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(lat - ${point.lat}) / 2), 2)
          + cos(radians(${point.lat})) * cos(radians(lat)) * power(sin(radians(lon - ${point.lon}) / 2), 2)))), id
        limit 10`);
      return result.rows.map((r) => r.id);
    });
    const same = JSON.stringify(ours.answers) === JSON.stringify(baseline.answers);
    if (!same) throw new Error(`${engine}: the nearest places differ from the full scan's`);
    return {
      engine,
      places: count,
      nearMs: {
        p50: +percentile(ours.times, 50).toFixed(1),
        p99: +percentile(ours.times, 99).toFixed(1),
      },
      fullScanMs: { p50: +percentile(baseline.times, 50).toFixed(1) },
      speedup: +(percentile(baseline.times, 50) / percentile(ours.times, 50)).toFixed(1),
    };
  } finally {
    await scratch.drop();
  }
}

const runs = await eachEngineApart(import.meta.filename, benchEngine);
for (const r of runs) {
  process.stdout.write(
    `${r.engine.padEnd(8)} nearest 10 of ${r.places.toLocaleString('en-US')} places: p50 ${r.nearMs.p50} ms, p99 ${r.nearMs.p99} ms` +
      ` | full scan ${r.fullScanMs.p50} ms | ${r.speedup}x faster\n`,
  );
}
process.stdout.write(`saved ${saveResults('places', { runs })}\n`);
