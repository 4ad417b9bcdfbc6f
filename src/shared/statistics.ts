/**
 * Reference statistics: the periods published figures cover, the figures derived from them
 * (change between two periods, cumulative totals, shares), the comparison of a stated figure
 * with a stored one, and the sentences and citations that carry them into reports.
 *
 * Periods are written as labels: `2021` (a calendar year), `FY2021` (a U.S. federal fiscal
 * year, October 2020 to September 2021, as BJS counts), or a range of months or days,
 * `2007-12..2021-12` or `2007-12-01..2021-12-31`.
 */

export const periodKinds = ['calendar_year', 'fiscal_year', 'range'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export interface Period {
  kind: PeriodKind;
  /** The canonical label: `2021`, `FY2021`, `2007-12..2021-12`. */
  label: string;
  /** First and last day covered, `YYYY-MM-DD`. */
  start: string;
  end: string;
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number) => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDayOfMonth(year, month);
}

/** One end of a range: `YYYY-MM` (a whole month) or `YYYY-MM-DD`. */
function parseRangeEnd(text: string, end: 'start' | 'end'): string | undefined {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = match[3]
    ? Number(match[3])
    : end === 'start'
      ? 1
      : month >= 1 && month <= 12
        ? lastDayOfMonth(year, month)
        : 0;
  if (!isRealDate(year, month, day)) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * Reads a period label, forgiving case and spacing (`fy 2022`, `Fiscal year 2022`); undefined
 * when it is none of the forms above.
 */
export function parsePeriod(text: string): Period | undefined {
  const compact = text.trim().replace(/\s+/g, ' ');
  const year = /^(\d{4})$/.exec(compact);
  if (year) {
    const y = Number(year[1]);
    return { kind: 'calendar_year', label: `${y}`, start: `${y}-01-01`, end: `${y}-12-31` };
  }
  const fiscal = /^(?:fy|fiscal year) ?(\d{4})$/i.exec(compact);
  if (fiscal) {
    const y = Number(fiscal[1]);
    return { kind: 'fiscal_year', label: `FY${y}`, start: `${y - 1}-10-01`, end: `${y}-09-30` };
  }
  const range = /^(\S+) ?\.\. ?(\S+)$/.exec(compact);
  if (range?.[1] && range[2]) {
    const start = parseRangeEnd(range[1], 'start');
    const end = parseRangeEnd(range[2], 'end');
    if (!start || !end || start > end) return undefined;
    return { kind: 'range', label: `${range[1]}..${range[2]}`, start, end };
  }
  return undefined;
}

/**
 * Whether a period is over on `today` (`YYYY-MM-DD`, by default the date in UTC): a published
 * figure counts what happened, so its period has ended before anyone can publish it.
 */
export function periodHasEnded(period: Period, today = new Date().toISOString().slice(0, 10)) {
  return period.end < today;
}

/** What a period label means, in words: `fiscal year 2021`, `December 2007 to December 2021`. */
export function describePeriod(period: Period): string {
  if (period.kind === 'calendar_year') return period.label;
  if (period.kind === 'fiscal_year') return `fiscal year ${period.label.slice(2)}`;
  const [from = '', to = ''] = period.label.split('..');
  const words = (text: string) => {
    const [y, m, d] = text.split('-').map(Number);
    const month = monthNames[(m ?? 1) - 1];
    return d ? `${month} ${d}, ${y}` : `${month} ${y}`;
  };
  return `${words(from)} to ${words(to)}`;
}

const smallNumbers = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
];

/**
 * A number as the Associated Press writes it: one to nine in words, figures with thousands
 * separators from 10, and `3.6 million` from a million.
 */
export function apNumber(value: number): string {
  if (Number.isInteger(value) && value >= 0 && value < 10) {
    return smallNumbers[value] ?? String(value);
  }
  if (Math.abs(value) >= 1_000_000) {
    const millions = Math.round((value / 1_000_000) * 10) / 10;
    return `${millions.toLocaleString('en-US')} million`;
  }
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

const apMonths = [
  'Jan.',
  'Feb.',
  'March',
  'April',
  'May',
  'June',
  'July',
  'Aug.',
  'Sept.',
  'Oct.',
  'Nov.',
  'Dec.',
];

/** A date (`YYYY-MM-DD`) as the AP writes it: `Jan. 8, 2024`, `March 11, 2024`. */
export function apDate(date: string, withYear = true): string {
  const [year, month, day] = date.split('-').map(Number);
  const text = `${apMonths[(month ?? 1) - 1]} ${day}`;
  return withYear ? `${text}, ${year}` : text;
}

/** A percentage, AP style: `49%`, `32.2%`. */
export function apPercent(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
}

/** Rounds half away from zero, to `decimals` places (percentages are rounded to one). */
export function roundHalfAway(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(value) * factor + Number.EPSILON) / factor;
  return Math.sign(value) * rounded;
}

export const percentRounding = 'percent rounded half away from zero to one decimal place';

export interface Change {
  from: number;
  to: number;
  absolute: number;
  /** Null when the earlier value is zero. */
  percent: number | null;
  rounding: string;
}

/** The change from one value to a later one: absolute, and in percent of the earlier. */
export function changeBetween(from: number, to: number): Change {
  return {
    from,
    to,
    absolute: to - from,
    percent: from === 0 ? null : roundHalfAway(((to - from) / from) * 100, 1),
    rounding: percentRounding,
  };
}

/** `part` as a percentage of `whole`; null when the whole is zero. */
export function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : roundHalfAway((part / whole) * 100, 1);
}

/**
 * Whether a stated figure agrees with a computed one, at the precision it was stated with:
 * a stated `49` (percent) agrees with 49.0 and 48.6, a stated `49.0` with 49.0 only.
 */
export function agreesAtStatedPrecision(stated: number, computed: number): boolean {
  const decimals = (String(stated).split('.')[1] ?? '').length;
  return roundHalfAway(computed, decimals) === roundHalfAway(stated, decimals);
}

/** Where a figure came from, as much as is known of it. */
export interface Provenance {
  sourceOrganisation: string;
  publication: string;
  url: string | null;
  sourceTable: string | null;
  publishedOn: string | null;
  retrievedOn: string | null;
}

/** A citation for a footnote: `Bureau of Justice Statistics, Human Trafficking …, table 1.` */
export function citationOf(source: Provenance): string {
  const parts = [source.sourceOrganisation, source.publication];
  if (source.sourceTable) parts.push(source.sourceTable);
  if (source.publishedOn) parts.push(`published ${source.publishedOn}`);
  let text = `${parts.join(', ')}.`;
  if (source.url) text += ` ${source.url}`;
  if (source.retrievedOn) text += ` (retrieved ${source.retrievedOn})`;
  return text;
}

/** The organisation as a sentence names it: `the Bureau of Justice Statistics`. */
function organisationInSentence(name: string): string {
  return /^the /i.test(name) ? name.replace(/^The /, 'the ') : `the ${name}`;
}

/**
 * A statistic as a sentence for a report or a public page. The series' template says what
 * is counted, with `{value}` and `{period}` where the figure and its period go; the sentence
 * opens with who says so, and the citation goes in a footnote.
 */
export function renderStatistic(
  template: string,
  figure: { value: number; period: Period; unit: string },
  source: Provenance,
): { sentence: string; citation: string } {
  const value = figure.unit === 'percent' ? apPercent(figure.value) : apNumber(figure.value);
  const body = template
    .replaceAll('{value}', value)
    .replaceAll('{period}', describePeriod(figure.period));
  const sentence = `According to ${organisationInSentence(source.sourceOrganisation)}, ${body}`;
  return {
    sentence: /[.!?]$/.test(sentence) ? sentence : `${sentence}.`,
    citation: citationOf(source),
  };
}
