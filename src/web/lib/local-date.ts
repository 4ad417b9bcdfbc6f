// Building a formatter is far dearer than using one, and screens ask on every render.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date (`YYYY-MM-DD`) in the agency's time zone, as the server counts days. */
export function todayIn(timeZone: string): string {
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
  return formatter.format(new Date());
}
