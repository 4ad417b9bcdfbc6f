import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, localDateOf } from './time.ts';

describe('localDateOf', () => {
  it('gives the date in the agency’s time zone, not UTC', () => {
    // 03:30 UTC on January 9 is still the evening of January 8 in Kansas City (UTC-6).
    expect(localDateOf(new Date('2024-01-09T03:30:00Z'), 'America/Chicago')).toBe('2024-01-08');
    expect(localDateOf(new Date('2024-01-09T06:30:00Z'), 'America/Chicago')).toBe('2024-01-09');
  });

  it('follows daylight-saving time', () => {
    // Chicago is UTC-5 in summer: 04:30 UTC on July 1 is 23:30 on June 30.
    expect(localDateOf(new Date('2024-07-01T04:30:00Z'), 'America/Chicago')).toBe('2024-06-30');
    expect(localDateOf(new Date('2024-07-01T05:30:00Z'), 'America/Chicago')).toBe('2024-07-01');
    // The night clocks go forward (March 10, 2024): 05:59 UTC is 23:59 on March 9, 06:00 is March 10.
    expect(localDateOf(new Date('2024-03-10T05:59:00Z'), 'America/Chicago')).toBe('2024-03-09');
    expect(localDateOf(new Date('2024-03-10T06:00:00Z'), 'America/Chicago')).toBe('2024-03-10');
  });
});

describe('date arithmetic', () => {
  it('lists the days of an initiative and adds days across month ends', () => {
    expect(datesBetween('2024-01-30', '2024-02-02')).toEqual([
      '2024-01-30',
      '2024-01-31',
      '2024-02-01',
      '2024-02-02',
    ]);
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });
});
