import { describe, expect, it } from 'vitest';
import { addDays } from '#shared/time.ts';
import { drawableText, undrawableCharacters } from './pdf-fonts.ts';
import { chartColumns, ReportPdf } from './report-pdf.ts';

function days(count: number, from = '2026-01-01') {
  return Array.from({ length: count }, (_, i) => ({
    date: addDays(from, i),
    inspections: i % 7,
    outreachVisits: i % 3,
    materialsHandedOut: 0,
    activities: 0,
  }));
}

describe('the after-action report’s chart', () => {
  it('draws a column a day for a month, then a week, a month or a year a column, every count kept', () => {
    for (const [count, unit] of [
      [1, 'day'],
      [31, 'day'],
      [32, 'week'],
      [217, 'week'],
      [218, 'month'],
      [900, 'month'],
      [365 * 40, 'year'],
    ] as const) {
      const input = days(count);
      const { unit: drawn, columns } = chartColumns(input);
      expect(drawn, `${count} days`).toBe(unit);
      expect(columns.length, `${count} days`).toBeLessThanOrEqual(31);
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      expect(sum(columns.map((c) => c.inspections))).toBe(sum(input.map((d) => d.inspections)));
      expect(sum(columns.map((c) => c.outreachVisits))).toBe(
        sum(input.map((d) => d.outreachVisits)),
      );
    }
    expect(chartColumns(days(40, '2026-12-20')).columns.map((c) => c.label)).toEqual([
      '12-20',
      '12-27',
      '01-03',
      '01-10',
      '01-17',
      '01-24',
    ]);
    expect(chartColumns([]).columns).toEqual([]);
  });
});

describe('the typeface of the PDFs', () => {
  it('draws the Latin alphabets, and says so when a text is in a script it lacks', () => {
    const pdf = ReportPdf.open('Test', 'Milepost');
    const latin = 'Łódź Nguyễn İstanbul Šibenik Ærø Straße «Zoë» – “quotes” € ™ •';
    expect(undrawableCharacters(pdf.doc, latin)).toEqual([]);
    expect(pdf.unprintableNote([latin, null, undefined])).toBe('');
    expect(undrawableCharacters(pdf.doc, 'ਮਦਦ ਕਰੋ, 帮助')).toEqual([
      'ਮ',
      'ਦ',
      'ਕ',
      'ਰ',
      'ੋ',
      '帮',
      '助',
    ]);
    expect(pdf.unprintableNote(['Они просили о помощи.'])).toContain('cannot print');
    pdf.doc.end();
  });

  it('marks each run of words it cannot draw, and leaves out what has no look', () => {
    const { doc } = ReportPdf.open('Test', 'Milepost');
    expect(drawableText(doc, 'à Lévis. Они просили о помощи. Fin')).toBe('à Lévis. […]. Fin');
    expect(drawableText(doc, 'ਮਦਦ ਕਰੋ, 帮助 👍 ok')).toBe('[…] ok');
    expect(drawableText(doc, 'Zoe\u0308 a\u200bb\u0007c\nd\te')).toBe('Zoë abc\nd\te');
    expect(drawableText(doc, 'Łódź Nguyễn')).toBe('Łódź Nguyễn');
    // What is measured is what is drawn: a mark, not the letters' boxes.
    expect(doc.widthOfString('Они')).toBe(doc.widthOfString('[…]'));
    doc.end();
  });
});
