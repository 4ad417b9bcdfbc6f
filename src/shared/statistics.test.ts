import { describe, expect, it } from 'vitest';
import {
  agreesAtStatedPrecision,
  apDate,
  apNumber,
  changeBetween,
  citationOf,
  describePeriod,
  parsePeriod,
  renderStatistic,
  shareOf,
} from './statistics.ts';

describe('periods', () => {
  it('reads calendar years, U.S. federal fiscal years and ranges', () => {
    expect(parsePeriod('2021')).toEqual({
      kind: 'calendar_year',
      label: '2021',
      start: '2021-01-01',
      end: '2021-12-31',
    });
    expect(parsePeriod('fy 2022')).toEqual({
      kind: 'fiscal_year',
      label: 'FY2022',
      start: '2021-10-01',
      end: '2022-09-30',
    });
    expect(parsePeriod('Fiscal year 2011')?.label).toBe('FY2011');
    expect(parsePeriod('2007-12..2021-12')).toMatchObject({
      kind: 'range',
      start: '2007-12-01',
      end: '2021-12-31',
    });
    expect(parsePeriod('2024-02..2024-02')?.end).toBe('2024-02-29');
  });

  it('refuses what is not a period', () => {
    for (const text of ['21', 'FY21', '2021-13..2022-01', '2022-01..2021-01', 'last year', '']) {
      expect(parsePeriod(text), text).toBeUndefined();
    }
  });

  it('says a period in words', () => {
    const words = (label: string) => describePeriod(parsePeriod(label) ?? ({} as never));
    expect(words('FY2021')).toBe('fiscal year 2021');
    expect(words('2021')).toBe('2021');
    expect(words('2007-12..2021-12')).toBe('December 2007 to December 2021');
    expect(words('2007-12-01..2021-12-31')).toBe('December 1, 2007 to December 31, 2021');
  });
});

describe('derived figures', () => {
  it('computes the change the seed states: 1,360 to 2,027 is +49.0%', () => {
    expect(changeBetween(1360, 2027)).toMatchObject({ absolute: 667, percent: 49 });
    expect(changeBetween(2027, 1912).percent).toBe(-5.7);
    expect(changeBetween(0, 5).percent).toBeNull();
  });

  it('computes shares, rounded to one decimal', () => {
    expect(shareOf(355, 1103)).toBe(32.2);
    expect(shareOf(1, 0)).toBeNull();
  });

  it('compares a stated figure at the precision it was stated with', () => {
    expect(agreesAtStatedPrecision(49, 49.04)).toBe(true);
    expect(agreesAtStatedPrecision(49, 48.6)).toBe(true);
    expect(agreesAtStatedPrecision(49.0, 48.6)).toBe(true);
    expect(agreesAtStatedPrecision(48.5, 48.6)).toBe(false);
    expect(agreesAtStatedPrecision(50, 49.0)).toBe(false);
  });
});

describe('writing statistics', () => {
  it('writes numbers as the AP does', () => {
    expect(apNumber(7)).toBe('seven');
    expect(apNumber(9)).toBe('nine');
    expect(apNumber(10)).toBe('10');
    expect(apNumber(2027)).toBe('2,027');
    expect(apNumber(3_601_302)).toBe('3.6 million');
    expect(apDate('2024-01-08')).toBe('Jan. 8, 2024');
    expect(apDate('2024-03-11', false)).toBe('March 11');
    expect(apDate('2024-09-30')).toBe('Sept. 30, 2024');
  });

  it('renders a sentence with who says so, and its citation', () => {
    const source = {
      sourceOrganisation: 'Bureau of Justice Statistics',
      publication: 'Human Trafficking Data Collection Activities, 2023',
      url: 'https://bjs.ojp.gov/library/publications/human-trafficking-data-collection-activities-2023',
      sourceTable: null,
      publishedOn: null,
      retrievedOn: '2026-11-28',
    };
    const period = parsePeriod('FY2021');
    if (!period) throw new Error('no period');
    const { sentence, citation } = renderStatistic(
      '{value} persons were referred to U.S. attorneys for human-trafficking offenses in {period}',
      { value: 2027, period, unit: 'persons' },
      source,
    );
    expect(sentence).toBe(
      'According to the Bureau of Justice Statistics, 2,027 persons were referred to U.S. attorneys for human-trafficking offenses in fiscal year 2021.',
    );
    expect(citation).toBe(
      'Bureau of Justice Statistics, Human Trafficking Data Collection Activities, 2023. https://bjs.ojp.gov/library/publications/human-trafficking-data-collection-activities-2023 (retrieved 2026-11-28)',
    );
    expect(citationOf({ ...source, url: null, retrievedOn: null, sourceTable: 'table 1' })).toBe(
      'Bureau of Justice Statistics, Human Trafficking Data Collection Activities, 2023, table 1.',
    );
  });
});
