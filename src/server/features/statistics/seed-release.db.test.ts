import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { checkStatistic, loadReferencePack } from './statistics.service.ts';

/**
 * The news release Milepost grew from, statistic by statistic: each is either reproduced from
 * the reference pack, with its source, or flagged with the reason.
 */
const release = fs.readFileSync(
  path.join(import.meta.dirname, '../../../../test/fixtures/press-release-kcpd-2024-01-11.txt'),
  'utf8',
);

interface Stated {
  /** The words of the release that state it. */
  quote: string;
  seriesKey: string;
  period: string;
  value: number;
  changeFrom?: string;
  statedChangePercent?: number;
  expected: 'reproduced' | { flagged: string };
}

const stated: Stated[] = [
  {
    quote: 'since its inception in 2007, it has identified 1,524 cases of human trafficking',
    seriesKey: 'nhth.missouri.cases',
    period: '2007-12..2021-12',
    value: 1524,
    expected: 'reproduced',
  },
  {
    quote: '3,160 victims were identified in these cases in Missouri',
    seriesKey: 'nhth.missouri.victims',
    period: '2007-12..2021-12',
    value: 3160,
    expected: 'reproduced',
  },
  {
    quote: 'The hotline received 1,103 signals in 2021 from Missouri',
    seriesKey: 'nhth.missouri.signals',
    period: '2021',
    value: 1103,
    expected: 'reproduced',
  },
  {
    quote: '355 signals were from victims or survivors of human trafficking',
    seriesKey: 'nhth.missouri.signals_from_victims',
    period: '2021',
    value: 355,
    expected: 'reproduced',
  },
  {
    quote:
      'a total of 2,027 persons were referred to U.S. Attorneys for human trafficking offenses in the fiscal year 2022, a 49% increase from 2011',
    seriesKey: 'bjs.federal.referred',
    period: 'FY2022',
    value: 2027,
    changeFrom: 'FY2011',
    statedChangePercent: 49,
    expected: { flagged: 'fiscal year 2021' },
  },
];

/**
 * Shares of the referred persons the release lists without a period or a table: the pack holds
 * no series for them, so each is flagged for the writer to source or drop.
 */
const unsourced = [
  { quote: '92% were male', seriesKey: 'bjs.federal.referred.share_male' },
  { quote: '60% were white', seriesKey: 'bjs.federal.referred.share_white' },
  { quote: '20% were black', seriesKey: 'bjs.federal.referred.share_black' },
  { quote: '16% were Hispanic', seriesKey: 'bjs.federal.referred.share_hispanic' },
  { quote: '95% were U.S. citizens', seriesKey: 'bjs.federal.referred.share_citizens' },
  { quote: '68% had no prior convictions', seriesKey: 'bjs.federal.referred.share_no_priors' },
];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadReferencePack(t.database.db);
});
afterAll(() => t.close());

describe('the seed news release', () => {
  it.each(stated)('$quote', async (statement) => {
    expect(release).toContain(statement.quote);
    const check = await checkStatistic(t.database.db, statement);
    if (statement.expected === 'reproduced') {
      expect(check.verdict, check.message).toBe('matches');
      expect(check.stored?.citation).toMatch(/National Human Trafficking Hotline|Bureau/);
    } else {
      expect(check.verdict).toBe('differs');
      expect(check.message).toContain(`2,027 is the figure for ${statement.expected.flagged}`);
      // The 49% is right for the year the figure belongs to: 1,360 to 2,027 is +49.0%.
      expect(check.change).toMatchObject({ percent: 49, agrees: true });
      expect(check.change?.to.period).toBe('FY2021');
    }
  });

  it.each(unsourced)('$quote: flagged, no stored source', async ({ quote, seriesKey }) => {
    expect(release).toContain(quote);
    const value = Number(quote.slice(0, quote.indexOf('%')));
    await expect(
      checkStatistic(t.database.db, { seriesKey, period: 'FY2022', value }),
    ).rejects.toThrow(/statistic series/);
  });
});
