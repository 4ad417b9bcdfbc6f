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
  type Engine,
  eachEngineApart,
  percentile,
  scratchDatabase,
  seedAgency,
  seedInitiativeRecords,
} from './support.ts';

const records = Number(process.env.BENCH_SUMMARY_RECORDS ?? 1_000_000);
const runsPerMeasure = 5;

async function benchEngine(engine: Engine) {
  const scratch = await scratchDatabase(engine);
  try {
    const { db } = scratch.handle;
    const { agency, officers } = await seedAgency(scratch.handle, 50);
    const started = performance.now();
    const { initiativeId, inspections, visits, activities } = await seedInitiativeRecords(
      db,
      agency.id,
      officers.map((o) => o.id),
      records,
    );
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

const runs = await eachEngineApart(import.meta.filename, benchEngine);
for (const r of runs) {
  process.stdout.write(
    `${r.engine.padEnd(8)} summary of ${r.records.toLocaleString('en-US')} records: ${r.summaryMs.median} ms` +
      ` | baseline ${r.baselineMs.median} ms | ratio ${r.ratio} (${r.target}); data made in ${r.generatedSeconds} s\n`,
  );
}
process.stdout.write(`saved ${saveResults('summary', { runs })}\n`);
