/**
 * Dates in an agency's time zone. An initiative runs on local dates ("January 8 to 12" in
 * Kansas City), while records carry instants; these helpers turn one into the other with the
 * platform's time-zone database, so daylight-saving changes fall where they should.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whether `date` lies within `[startsOn, endsOn]`, all three `YYYY-MM-DD`. */
export function dateWithin(date: string, startsOn: string, endsOn: string): boolean {
  return date >= startsOn && date <= endsOn;
}

/** Every date from `startsOn` to `endsOn` inclusive. */
export function datesBetween(startsOn: string, endsOn: string): string[] {
  const dates: string[] = [];
  const day = new Date(`${startsOn}T00:00:00Z`);
  const end = new Date(`${endsOn}T00:00:00Z`);
  while (day <= end) {
    dates.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return dates;
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
