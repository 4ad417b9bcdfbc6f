// The summary of an initiative with 1,000,000 records (700,000 inspections, 200,000 outreach
// visits, 100,000 activities; about a million material lines), against its baseline in the same
// run: the same totals and breakdowns by hand-written aggregate queries over the records, sent
// straight to the driver. The summary reads the running tallies the records' triggers keep, so
// it does not grow with the records; the time to make the data includes keeping them. Target:
// within 1.5 times the baseline, and under 500 ms on PostgreSQL.
import { sql } from 'drizzle-orm';
import { summarize } from '#server/features/summary/summary.service.ts';
import { saveResults } from './results.ts';
import {
  benchEngines,
  type Engine,
  percentile,
  scratchDatabase,
  seedAgency,
  uuid,
} from './support.ts';

const records = Number(process.env.BENCH_SUMMARY_RECORDS ?? 1_000_000);
const runsPerMeasure = 5;

async function benchEngine(engine: Engine) {
  const scratch = await scratchDatabase(engine);
  try {
    const { db } = scratch.handle;
    const { agency, officers } = await seedAgency(scratch.handle, 50);
    const initiativeId = uuid();
    await db.execute(sql`insert into initiatives (id, agency_id, name, starts_on, ends_on, created_by, request_hash)
      values (${initiativeId}, ${agency.id}, 'Bench week', '2026-01-05', '2026-01-11', ${officers[0]?.id}, 'bench')`);
    const officerIds = sql.raw(`array[${officers.map((o) => `'${o.id}'::uuid`).join(',')}]`);
    await db.execute(sql`insert into places (id, agency_id, kind, name, normalized_name, lat, lon, request_hash)
      select gen_random_uuid(), ${agency.id}, 'truck_stop', 'Stop ' || g, 'stop' || g, 39 + g / 100.0, -94.5, 'bench'
      from generate_series(1, 40) g`);
    await db.execute(sql`insert into materials (id, agency_id, kind, name, language, provider, request_hash)
      values (gen_random_uuid(), ${agency.id}, 'wallet_card', 'Card', 'en', 'TAT', 'bench'),
             (gen_random_uuid(), ${agency.id}, 'wallet_card', 'Card', 'es', 'TAT', 'bench'),
             (gen_random_uuid(), ${agency.id}, 'window_decal', 'Decal', 'en', 'TAT', 'bench')`);
    const started = performance.now();
    const inspections = Math.round(records * 0.7);
    const visits = Math.round(records * 0.2);
    const activities = records - inspections - visits;
    const placeIds = sql`(select array_agg(id order by name) from places where agency_id = ${agency.id})`;
    await db.execute(sql`insert into inspections (id, agency_id, initiative_id, officer_id, occurred_at, local_date, place_id,
        level, outreach_given, red_flags, action, created_by, request_hash)
      select gen_random_uuid(), ${agency.id}, ${initiativeId}, (${officerIds})[1 + g % 50],
        timestamptz '2026-01-05 13:00:00+00' + make_interval(days => g % 7, mins => g % 600),
        date '2026-01-05' + g % 7,
        case when g % 3 = 0 then null else (${placeIds})[1 + g % 40] end,
        (array['I','II','III'])[1 + g % 3], g % 10 <> 0,
        case when g % 97 = 0 then array['lot_drop_off'] else '{}'::text[] end,
        case when g % 97 = 0 then 'hotline_called' else 'none' end,
        (${officerIds})[1], 'bench'
      from generate_series(1, ${inspections}) g`);
    await db.execute(sql`insert into outreach_visits (id, agency_id, initiative_id, officer_id, occurred_at, local_date, place_id,
        reached_drivers, reached_staff, reached_public, created_by, request_hash)
      select gen_random_uuid(), ${agency.id}, ${initiativeId}, (${officerIds})[1 + g % 50],
        timestamptz '2026-01-05 20:00:00+00' + make_interval(days => g % 7), date '2026-01-05' + g % 7,
        (${placeIds})[1 + g % 40], g % 12, g % 3, g % 5, (${officerIds})[1], 'bench'
      from generate_series(1, ${visits}) g`);
    await db.execute(sql`insert into activities (id, agency_id, initiative_id, officer_id, occurred_at, local_date, kind, count,
        created_by, request_hash)
      select gen_random_uuid(), ${agency.id}, ${initiativeId}, (${officerIds})[1 + g % 50],
        timestamptz '2026-01-05 15:00:00+00' + make_interval(days => g % 7), date '2026-01-05' + g % 7,
        (array['presentations','media_contacts','social_posts'])[1 + g % 3], 1 + g % 2, (${officerIds})[1], 'bench'
      from generate_series(1, ${activities}) g`);
    await db.execute(sql`insert into record_materials (record_id, material_id, quantity)
      select r.id, m.id, 1 + (abs(hashtext(r.id::text)) % 3)
      from (select id from inspections union all select id from outreach_visits) r
      join materials m on m.kind = 'wallet_card' and m.language = case when abs(hashtext(r.id::text)) % 7 = 0 then 'es' else 'en' end`);
    await db.execute(sql`insert into record_materials (record_id, material_id, quantity)
      select r.id, m.id, 1 from (select id from inspections where abs(hashtext(id::text)) % 3 = 0) r
      join materials m on m.kind = 'window_decal'`);
    await db.execute(sql`analyze`);
    const generatedSeconds = (performance.now() - started) / 1000;

    const scope = { agencyId: agency.id, initiativeId };
    const timeIt = async (work: () => Promise<unknown>) => {
      await work(); // warm the cache and the plans
      const times: number[] = [];
      for (let i = 0; i < runsPerMeasure; i++) {
        const t0 = performance.now();
        await work();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b);
    };
    const ours = await timeIt(() => summarize(db, scope));
    const summary = await summarize(db, scope);
    const raw = async (text: string) =>
      db.execute(
        sql.raw(
          text
            .replaceAll('$agency', `'${agency.id}'`)
            .replaceAll('$initiative', `'${initiativeId}'`),
        ),
      );
    const where = (alias: string) =>
      `${alias}.agency_id = $agency and ${alias}.deleted_at is null and ${alias}.initiative_id = $initiative`;
    const baseline = await timeIt(() =>
      Promise.all([
        raw(`select count(*), count(*) filter (where outreach_given), count(*) filter (where cardinality(red_flags) > 0),
             count(*) filter (where action <> 'none') from inspections i where ${where('i')}`),
        raw(`select local_date, count(*) from inspections i where ${where('i')} group by 1`),
        raw(`select officer_id, count(*) from inspections i where ${where('i')} group by 1`),
        raw(`select place_id, count(*) from inspections i where ${where('i')} group by 1`),
        raw(`select action, count(*) from inspections i where ${where('i')} group by 1`),
        raw(`select count(*), count(distinct place_id), sum(reached_drivers + reached_staff + reached_public)
             from outreach_visits v where ${where('v')}`),
        raw(
          `select local_date, officer_id, place_id, count(*) from outreach_visits v where ${where('v')} group by 1, 2, 3`,
        ),
        raw(
          `select kind, local_date, officer_id, sum(count) from activities a where ${where('a')} group by 1, 2, 3`,
        ),
        raw(`select m.kind, m.language, sum(rm.quantity) from record_materials rm join materials m on m.id = rm.material_id
             join (select id from inspections i where ${where('i')} union all select id from outreach_visits v where ${where('v')}) r
             on r.id = rm.record_id group by 1, 2`),
        raw(
          `select flag, count(*) from inspections i, unnest(i.red_flags) flag where ${where('i')} group by 1`,
        ),
      ]),
    );
    // The two must agree before their times mean anything.
    const counted = await raw(`select count(*)::int as n from inspections i where ${where('i')}`);
    if (Number(counted.rows[0]?.n) !== summary.totals.inspections) {
      throw new Error(
        `summary says ${summary.totals.inspections} inspections, the records ${counted.rows[0]?.n}`,
      );
    }
    const median = percentile(ours, 50);
    const baselineMedian = percentile(baseline, 50);
    return {
      engine,
      records: inspections + visits + activities,
      generatedSeconds: +generatedSeconds.toFixed(1),
      summaryMs: {
        median: Math.round(median),
        min: Math.round(ours[0] ?? 0),
        max: Math.round(ours.at(-1) ?? 0),
      },
      baselineMs: { median: Math.round(baselineMedian), min: Math.round(baseline[0] ?? 0) },
      ratio: +(median / baselineMedian).toFixed(2),
      check: { inspections: summary.totals.inspections, walletCards: summary.totals.wallet_cards },
      target: engine === 'postgres' ? 'ratio <= 1.5 and median < 500 ms' : 'ratio <= 1.5',
    };
  } finally {
    await scratch.drop();
  }
}

const runs = [];
for (const engine of benchEngines()) runs.push(await benchEngine(engine));
for (const r of runs) {
  process.stdout.write(
    `${r.engine.padEnd(8)} summary of ${r.records.toLocaleString('en-US')} records: ${r.summaryMs.median} ms` +
      ` | baseline ${r.baselineMs.median} ms | ratio ${r.ratio} (${r.target}); data made in ${r.generatedSeconds} s\n`,
  );
}
process.stdout.write(`saved ${saveResults('summary', { runs })}\n`);
