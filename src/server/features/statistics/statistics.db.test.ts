import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAgency, newUser } from '#test/factories.ts';
import { createTestApp, type TestApp } from '#test/test-app.ts';
import { referencePack } from './reference-pack.ts';
import { loadReferencePack } from './statistics.service.ts';

let t: TestApp;
/** A platform administrator: the one who curates the shared reference figures. */
let curator: string;
let analyst: string;
let supervisor: string;
let officer: string;

async function call(cookie: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie, ...(typeof body === 'string' ? { 'content-type': 'text/csv' } : {}) },
    ...(body !== undefined ? { payload: body as string } : {}),
  });
}

async function countObservations(): Promise<number> {
  const result = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from statistic_observations`,
  );
  return Number(result.rows[0]?.n);
}

const packFigures = referencePack.reduce((n, s) => n + s.observations.length, 0);

beforeAll(async () => {
  t = await createTestApp();
  const agency = await newAgency(t.database.db);
  curator = await t.signIn((await newUser(t.database.db, agency.id, { role: 'admin' })).email);
  analyst = await t.signIn((await newUser(t.database.db, agency.id, { role: 'analyst' })).email);
  supervisor = await t.signIn(
    (await newUser(t.database.db, agency.id, { role: 'supervisor' })).email,
  );
  officer = await t.signIn((await newUser(t.database.db, agency.id)).email);
});
afterAll(() => t.close());

describe('the reference pack', () => {
  it('loads every figure once, each with its source', async () => {
    expect(await loadReferencePack(t.database.db)).toBe(packFigures);
    expect(await loadReferencePack(t.database.db)).toBe(0);
    expect(await countObservations()).toBe(packFigures);
    const series = (await call(officer, 'GET', '/api/statistics')).json();
    const referred = series.find((s: { key: string }) => s.key === 'bjs.federal.referred');
    expect(referred.observations.map((o: { period: string }) => o.period)).toEqual([
      'FY2011',
      'FY2012',
      'FY2015',
      'FY2020',
      'FY2021',
      'FY2022',
    ]);
    for (const s of series) {
      for (const o of s.observations) {
        expect(o.sourceOrganisation, `${s.key} ${o.period}`).not.toBe('');
        expect(o.citation).toContain(o.publication);
      }
    }
    const personnel = series.find((s: { key: string }) => s.key === 'cvsa.htai.personnel');
    expect(
      personnel.observations.find((o: { period: string }) => o.period === '2024'),
    ).toMatchObject({ value: 3020, verified: false });
  });
});

describe('checking a stated figure', () => {
  it('names the period a mismatched figure belongs to, and recomputes the stated change', async () => {
    const response = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'bjs.federal.referred',
      period: 'FY2022',
      value: 2027,
      changeFrom: 'FY2011',
      statedChangePercent: 49,
    });
    expect(response.statusCode, response.body).toBe(200);
    const check = response.json();
    expect(check.verdict).toBe('differs');
    expect(check.stored.value).toBe(1912);
    expect(check.matchingPeriods.map((o: { period: string }) => o.period)).toEqual(['FY2021']);
    expect(check.message).toContain('2,027 is the figure for fiscal year 2021');
    expect(check.change).toMatchObject({ absolute: 667, percent: 49, agrees: true });
    expect(check.change.from.period).toBe('FY2011');
    expect(check.change.to.period).toBe('FY2021');
  });

  it('says when a figure matches, and when none is stored for the period', async () => {
    const matches = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'nhth.missouri.signals',
      period: '2021',
      value: 1103,
    });
    expect(matches.json()).toMatchObject({ verdict: 'matches', matchingPeriods: [] });
    const none = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'nhth.missouri.signals',
      period: '2019',
      value: 1103,
    });
    expect(none.json().verdict).toBe('no_figure');
    expect(none.json().matchingPeriods[0].period).toBe('2021');
  });

  it('refuses a bad period, an unknown series and a change from a period without a figure', async () => {
    const badPeriod = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'bjs.federal.referred',
      period: 'FY22',
      value: 1,
    });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().errors[0].field).toBe('period');
    const unknown = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'bjs.federal.unknown',
      period: 'FY2022',
      value: 1,
    });
    expect(unknown.statusCode).toBe(404);
    const noFrom = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'bjs.federal.referred',
      period: 'FY2021',
      value: 2027,
      changeFrom: '2011',
    });
    expect(noFrom.statusCode).toBe(400);
    expect(noFrom.json().errors[0]).toMatchObject({ field: 'changeFrom' });
    expect(noFrom.json().errors[0].message).toContain('FY2011');
  });
});

describe('derived figures', () => {
  it('computes a change, a cumulative total and a share from stored figures', async () => {
    const change = await call(
      officer,
      'GET',
      '/api/statistics/derived?kind=change&series=bjs.federal.referred&from=FY2011&to=FY2021',
    );
    expect(change.json()).toMatchObject({ kind: 'change', value: 49, unit: 'percent' });
    expect(change.json().rounding).toContain('one decimal place');
    const total = await call(
      officer,
      'GET',
      '/api/statistics/derived?kind=cumulative&series=bjs.federal.referred&from=FY2020&to=FY2022',
    );
    expect(total.json()).toMatchObject({ value: 2198 + 2027 + 1912, unit: 'persons' });
    expect(total.json().inputs).toHaveLength(3);
    const share = await call(
      officer,
      'GET',
      '/api/statistics/derived?kind=share&series=nhth.missouri.signals_from_victims&of=nhth.missouri.signals&period=2021',
    );
    expect(share.json()).toMatchObject({ value: 32.2, unit: 'percent' });
  });

  it('refuses a total over years the series lacks, naming them', async () => {
    const gap = await call(
      officer,
      'GET',
      '/api/statistics/derived?kind=cumulative&series=bjs.federal.referred&from=FY2011&to=FY2015',
    );
    expect(gap.statusCode).toBe(400);
    expect(gap.json().errors[0].message).toContain('FY2013, FY2014');
  });
});

describe('recording figures', () => {
  const revision = {
    id: randomUUID(),
    seriesKey: 'nhth.missouri.cases',
    period: '2021',
    value: 241,
    sourceOrganisation: 'National Human Trafficking Hotline',
    publication: 'Missouri state report, revised',
    url: 'https://humantraffickinghotline.org/en/statistics',
    retrievedOn: '2026-11-28',
  };

  it('revises a figure: the new one supersedes the old, which stays stored', async () => {
    const created = await call(curator, 'POST', '/api/statistics/observations', revision);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().supersedes).not.toBeNull();
    const replay = await call(curator, 'POST', '/api/statistics/observations', revision);
    expect(replay.statusCode).toBe(200);
    const series = (
      await call(officer, 'GET', '/api/statistics/series/nhth.missouri.cases')
    ).json();
    const of2021 = series.observations.filter((o: { period: string }) => o.period === '2021');
    expect(
      of2021.map((o: { value: number; superseded: boolean }) => [o.value, o.superseded]),
    ).toEqual([
      [240, true],
      [241, false],
    ]);
    const check = await call(officer, 'POST', '/api/statistics/check', {
      seriesKey: 'nhth.missouri.cases',
      period: '2021',
      value: 240,
    });
    expect(check.json().verdict).toBe('differs');
  });

  it('refuses the same id with other content, bad input, and people who may not write', async () => {
    const before = await countObservations();
    const clash = await call(curator, 'POST', '/api/statistics/observations', {
      ...revision,
      value: 999,
    });
    expect(clash.statusCode).toBe(409);
    const bad = await call(curator, 'POST', '/api/statistics/observations', {
      ...revision,
      id: randomUUID(),
      period: 'last year',
      url: 'javascript:alert(1)',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['period', 'url']);
    const unknownSeries = await call(curator, 'POST', '/api/statistics/observations', {
      ...revision,
      id: randomUUID(),
      seriesKey: 'nhth.kansas.cases',
    });
    expect(unknownSeries.statusCode).toBe(404);
    for (const cookie of [supervisor, analyst, officer]) {
      const forbidden = await call(cookie, 'POST', '/api/statistics/observations', {
        ...revision,
        id: randomUUID(),
      });
      expect(forbidden.statusCode).toBe(403);
    }
    expect(await countObservations()).toBe(before);
  });

  it('refuses a period that has not ended, and a source that is not https', async () => {
    const before = await countObservations();
    const year = new Date().getUTCFullYear();
    // This year, this fiscal year and the next are not over; the FY2031 neither.
    for (const period of [String(year), `FY${year + 1}`, 'FY2031', `${year - 1}-01..${year}-12`]) {
      const response = await call(curator, 'POST', '/api/statistics/observations', {
        ...revision,
        id: randomUUID(),
        period,
      });
      expect(response.statusCode, period).toBe(400);
      expect(response.json().errors, period).toEqual([
        { field: 'period', message: expect.stringContaining('has not ended') },
      ]);
    }
    for (const period of ['0000', '0001-01..0002-12', '1899']) {
      const response = await call(curator, 'POST', '/api/statistics/observations', {
        ...revision,
        id: randomUUID(),
        period,
      });
      expect(response.statusCode, period).toBe(400);
      expect(response.json().errors, period).toEqual([
        { field: 'period', message: 'must be a period from 1900 on' },
      ]);
    }
    for (const url of [
      'http://humantraffickinghotline.org/en/statistics',
      'ftp://example.org/figures.csv',
      'https://curator:secret@example.org/figures',
      'https://127.0.0.1/figures',
    ]) {
      const response = await call(curator, 'POST', '/api/statistics/observations', {
        ...revision,
        id: randomUUID(),
        url,
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors[0].field, url).toBe('url');
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const [field, date] of [
      ['retrievedOn', tomorrow],
      ['publishedOn', '0000-01-01'],
    ] as const) {
      const response = await call(curator, 'POST', '/api/statistics/observations', {
        ...revision,
        id: randomUUID(),
        [field]: date,
      });
      expect(response.statusCode, field).toBe(400);
      expect(response.json().errors[0].field).toBe(field);
    }
    expect(await countObservations()).toBe(before);
  });

  it('audits who recorded a figure, and the figures the pack brought', async () => {
    const result = await t.database.db.execute<{
      action: string;
      actor_id: string | null;
      after: { added?: number; value?: number };
    }>(
      sql`select action, actor_id, after from audit_log
        where entity_type = 'statistic_observation' order by id`,
    );
    expect(result.rows.map((r) => r.action)).toEqual([
      'statistic_observation.pack_loaded',
      'statistic_observation.revised',
    ]);
    expect(result.rows[0]).toMatchObject({ actor_id: null, after: { added: packFigures } });
    expect(result.rows[1]?.actor_id).not.toBeNull();
    expect(result.rows[1]?.after.value).toBe(241);
  });
});

describe('imports', () => {
  const csv = [
    'series_key,period,value,source_organisation,publication,url,source_table,published_on,retrieved_on,notes,verified,subject,geography,unit,sentence',
    'nhth.kansas.signals,2021,"1,000",National Human Trafficking Hotline,Kansas state report,https://humantraffickinghotline.org,,,2026-11-28,,,Signals to the hotline from Kansas,Kansas,signals,the hotline received {value} signals from Kansas in {period}',
    'nhth.kansas.signals,2022,950,National Human Trafficking Hotline,Kansas state report,,,,,,no,,,,',
  ].join('\n');

  it('adds series and figures from CSV once; the same file again changes nothing', async () => {
    const first = await call(curator, 'POST', '/api/imports/statistics', csv);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ seriesAdded: 1, added: 2, revised: 0, unchanged: 0 });
    const again = (await call(curator, 'POST', '/api/imports/statistics', csv)).json();
    expect(again).toMatchObject({ seriesAdded: 0, added: 0, unchanged: 2 });
    const series = (
      await call(officer, 'GET', '/api/statistics/series/nhth.kansas.signals')
    ).json();
    expect(
      series.observations.map((o: { value: number; verified: boolean }) => [o.value, o.verified]),
    ).toEqual([
      [1000, true],
      [950, false],
    ]);
  });

  it('refuses a file from an analyst, and a file with a future period, naming the row', async () => {
    const before = await countObservations();
    const fromAnalyst = await call(analyst, 'POST', '/api/imports/statistics', csv);
    expect(fromAnalyst.statusCode).toBe(403);
    const future = `${csv}\nnhth.kansas.signals,FY2031,5,National Human Trafficking Hotline,Kansas state report,http://example.org,,,,,,,,,`;
    const response = await call(curator, 'POST', '/api/imports/statistics', future);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 4: url',
      'row 4: period',
    ]);
    const bjsFuture = await call(
      curator,
      'POST',
      '/api/imports/statistics/bjs?publication=Human%20Trafficking%20Data%20Collection%20Activities',
      `Fiscal year,Referred\n2021,"2,027"\n${new Date().getUTCFullYear() + 1},"9,999"\n`,
    );
    expect(bjsFuture.statusCode).toBe(400);
    expect(bjsFuture.json().errors[0]).toMatchObject({
      field: 'row 3: Fiscal year',
      message: expect.stringContaining('has not ended'),
    });
    const bjsHttp = await call(
      curator,
      'POST',
      '/api/imports/statistics/bjs?publication=Human%20Trafficking%20Data%20Collection%20Activities&url=http%3A%2F%2Fbjs.ojp.gov',
      'Fiscal year,Referred\n2021,"2,027"\n',
    );
    expect(bjsHttp.statusCode).toBe(400);
    expect(bjsHttp.json().errors[0].field).toBe('url');
    expect(await countObservations()).toBe(before);
  });

  it('refuses a file with an invalid row, naming it, and imports nothing', async () => {
    const before = await countObservations();
    const bad = `${csv}\nnhth.kansas.signals,2023,many,National Human Trafficking Hotline,Kansas state report,,,,,,,,,,\nnhth.iowa.signals,2023,5,X,Y,,,,,,,,,,`;
    const response = await call(curator, 'POST', '/api/imports/statistics', bad);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 4: value',
      'row 5: source_organisation',
      'row 5: publication',
    ]);
    const missingSeries = `${csv.split('\n')[0]}\nnhth.iowa.signals,2023,5,Hotline,Iowa report,,,,,,,,,,`;
    const unknown = await call(curator, 'POST', '/api/imports/statistics', missingSeries);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('row 2: series_key');
    expect(await countObservations()).toBe(before);
  });

  it('reads a BJS appendix table: title lines, counts with separators and marks, notes', async () => {
    const table = [
      'Bureau of Justice Statistics',
      'Filename: htdca24at01.csv',
      'Appendix table 1. Persons referred, prosecuted and convicted, FY 2012-2022',
      '',
      'Fiscal year,Referred,Prosecuted,Convicted,Median months',
      '2012,"1,519",805,578,10',
      '2021,"2,027","1,672",/,11',
      '2022,"1,912","1,656","1,121*",12',
      'Note: Fiscal years run from October 1 to September 30.',
      '*Revised.',
    ].join('\n');
    const url =
      '/api/imports/statistics/bjs?publication=Human%20Trafficking%20Data%20Collection%20Activities%2C%202024&sourceTable=appendix%20table%201';
    const response = await call(curator, 'POST', url, table);
    expect(response.statusCode, response.body).toBe(200);
    // 2012 and 2021 hold the pack's figures; 2022's conviction count is revised (1,118 to 1,121).
    expect(response.json()).toMatchObject({
      format: 'bjs',
      added: 0,
      revised: 1,
      unchanged: 7,
      ignoredColumns: ['Median months'],
    });
    const convicted = (
      await call(officer, 'GET', '/api/statistics/series/bjs.federal.convicted')
    ).json();
    const latest2022 = convicted.observations.find(
      (o: { period: string; superseded: boolean }) => o.period === 'FY2022' && !o.superseded,
    );
    expect(latest2022).toMatchObject({ value: 1121, sourceTable: 'appendix table 1' });
  });
});
