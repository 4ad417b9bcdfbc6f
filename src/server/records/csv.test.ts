import { describe, expect, it } from 'vitest';
import { csvStream, neutralizeFormula } from './csv.ts';

describe('CSV exports', () => {
  it.each([
    ['=HYPERLINK("http://evil.example")', `'=HYPERLINK("http://evil.example")`],
    ['+1-800', `'+1-800`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['Truck stop on I-70', 'Truck stop on I-70'],
  ])('neutralises %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  it('streams a header and quoted rows, leaving numbers as numbers', async () => {
    type Row = { name: string; lat: number; ok: boolean };
    async function* rows(): AsyncGenerator<Row> {
      yield { name: '=cmd|"/c calc"', lat: -94.5, ok: true };
      yield { name: 'Love\'s, "East"', lat: 39.1, ok: false };
    }
    const stream = csvStream(
      [
        { header: 'name', value: (r: Row) => r.name },
        { header: 'lat', value: (r: Row) => r.lat },
        { header: 'ok', value: (r: Row) => r.ok },
      ],
      rows(),
    );
    let text = '';
    for await (const chunk of stream) text += chunk;
    expect(text).toBe(
      `\ufeffname,lat,ok\n"'=cmd|""/c calc""",-94.5,true\n"Love's, ""East""",39.1,false\n`,
    );
  });
});
