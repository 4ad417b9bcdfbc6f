// Dates and times as the officer's phone writes them. Each format is built once, on first use:
// building an Intl format is slow on a phone, and a list would otherwise build one per row,
// while building them all as the app starts would delay its first screen.
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

const dateTime = once(
  () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
);
const date = once(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));
const time = once(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }));
const count = once(() => new Intl.NumberFormat('en-US'));

/** `Nov 27, 2026, 3:04 PM` in the phone's language and time zone. */
export const formatDateTime = (iso: string | number): string => dateTime().format(new Date(iso));

/** `Nov 27, 2026`. */
export const formatDate = (iso: string | number): string => date().format(new Date(iso));

/** `03:04 PM`. */
export const formatTime = (iso: string | number): string => time().format(new Date(iso));

/** A count with thousands separators, as the figures are written everywhere: `1,103`. */
export const formatNumber = (value: number): string => count().format(value);
