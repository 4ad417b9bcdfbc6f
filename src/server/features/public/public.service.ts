import crypto from 'node:crypto';
import { z } from 'zod';
import type { Executor } from '#db/client.ts';
import { redFlagCodes } from '#shared/catalogues/field.ts';
import { nationalHotlines } from '#shared/catalogues/hotlines.ts';
import { localDateSchema } from '#shared/contracts/common.ts';
import { contactSafeAnswers, type NewTip, tipLimits } from '#shared/contracts/tips.ts';
import { parsePeriod, renderStatistic } from '#shared/statistics.ts';
import { NotFoundError } from '../../errors.ts';
import type { Secrets } from '../../secrets.ts';
import { type AgencyRow, findAgencyBySlug } from '../agencies/agencies.repository.ts';
import { findSeriesWithObservations } from '../statistics/statistics.service.ts';
import { describePeriodIn, type PublicLanguage, statisticSentences } from './messages.ts';
import { listPublicPlaces } from './public.repository.ts';

/** An enforcement agency's public page exists; a coordinating body has none. */
export async function requirePublicAgency(db: Executor, slug: string): Promise<AgencyRow> {
  const agency = await findAgencyBySlug(db, slug);
  if (agency?.kind !== 'enforcement') throw new NotFoundError('agency page', slug);
  return agency;
}

export interface PublicStatistic {
  sentence: string;
  citation: string;
  url: string | null;
}

export interface PublicPageFacts {
  agency: AgencyRow;
  national: (typeof nationalHotlines)[keyof typeof nationalHotlines];
  places: { id: string; name: string }[];
  statistics: PublicStatistic[];
}

/** Which reference statistics an agency's page shows: its country's, and its state's. */
function statisticKeysFor(agency: AgencyRow): string[] {
  if (agency.country !== 'US') return [];
  return [
    ...(agency.region === 'MO' ? ['nhth.missouri.cases', 'nhth.missouri.signals'] : []),
    'bjs.federal.referred',
  ];
}

const locales: Record<PublicLanguage, string> = { en: 'en-US', es: 'es-MX', fr: 'fr-CA' };

/**
 * A series' latest figure as a sentence in the page's language, with its citation: the verified
 * figure whose period ends last (a single year before a range ending with it).
 */
async function publicStatistic(
  db: Executor,
  key: string,
  language: PublicLanguage,
): Promise<PublicStatistic | undefined> {
  const series = await findSeriesWithObservations(db, key);
  if (!series) return undefined;
  const latest = series.observations
    .filter((o) => !o.superseded && o.verified)
    .map((o) => ({ o, period: parsePeriod(o.period) }))
    .filter((x): x is { o: typeof x.o; period: NonNullable<typeof x.period> } => !!x.period)
    .sort(
      (a, b) =>
        b.period.end.localeCompare(a.period.end) || b.period.start.localeCompare(a.period.start),
    )[0];
  if (!latest) return undefined;
  const { o, period } = latest;
  const source = {
    sourceOrganisation: o.sourceOrganisation,
    publication: o.publication,
    url: o.url,
    sourceTable: o.sourceTable,
    publishedOn: o.publishedOn,
    retrievedOn: o.retrievedOn,
  };
  if (language === 'en') {
    const { sentence, citation } = renderStatistic(
      series.sentence,
      { value: o.value, period, unit: series.unit },
      source,
    );
    return { sentence, citation, url: o.url };
  }
  const template = statisticSentences[key]?.[language];
  if (!template) return undefined;
  const body = template
    .replaceAll('{value}', new Intl.NumberFormat(locales[language]).format(o.value))
    .replaceAll('{period}', describePeriodIn(language, period));
  const { citation } = renderStatistic(
    series.sentence,
    { value: o.value, period, unit: series.unit },
    source,
  );
  return { sentence: `${body.charAt(0).toUpperCase()}${body.slice(1)}.`, citation, url: o.url };
}

/** The places a sender may pick by name on the page (and a tip's place is matched against). */
export function publicPlaces(db: Executor, agency: AgencyRow) {
  return listPublicPlaces(db, agency.id, 60);
}

/** What an agency's public page shows beyond its words: numbers, places, statistics. */
export async function publicPageFacts(
  db: Executor,
  agency: AgencyRow,
  language: PublicLanguage,
): Promise<PublicPageFacts> {
  const [places, statistics] = await Promise.all([
    publicPlaces(db, agency),
    Promise.all(statisticKeysFor(agency).map((key) => publicStatistic(db, key, language))),
  ]);
  return {
    agency,
    national: nationalHotlines[agency.country],
    places,
    statistics: statistics.filter((s): s is PublicStatistic => s !== undefined),
  };
}

/** A date as the page's language writes it: `November 28, 2026`, `28 de noviembre de 2026`. */
export function formatDate(date: string | Date, language: PublicLanguage): string {
  const value = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T12:00:00Z`) : date;
  return new Intl.DateTimeFormat(locales[language], { dateStyle: 'long', timeZone: 'UTC' }).format(
    value,
  );
}

// The tip form ------------------------------------------------------------------------------------

/**
 * The signature of a form when it was shown, and when: a form sent back too soon was filled by
 * a robot, one sent back days later is stale. `issuedAt.hmac`, with a key of its own.
 */
export function formToken(secrets: Secrets, slug: string, issuedAt = Date.now()): string {
  const mac = crypto
    .createHmac('sha256', secrets.derive('tip form'))
    .update(`${slug}.${issuedAt}`)
    .digest('base64url');
  return `${issuedAt}.${mac}`;
}

const maxFormAgeMs = 24 * 3600_000;

export function checkFormToken(
  secrets: Secrets,
  slug: string,
  token: string | undefined,
  minFillSeconds: number,
  now = Date.now(),
): 'ok' | 'too_fast' | 'expired' {
  const [issued = '', mac = ''] = (token ?? '').split('.');
  const issuedAt = Number(issued);
  const expected = formToken(secrets, slug, issuedAt).split('.')[1] ?? '';
  const valid =
    Number.isSafeInteger(issuedAt) &&
    mac.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
  // A form whose signature no longer checks (the key was rotated) is treated as stale.
  if (!valid || now - issuedAt > maxFormAgeMs) return 'expired';
  if (now - issuedAt < minFillSeconds * 1000) return 'too_fast';
  return 'ok';
}

/**
 * What the rate limits count a client by: its address hashed with a salt of the day, so no
 * address is kept anywhere, and yesterday's hashes match nothing today.
 */
export function clientKey(secrets: Secrets, address: string, now = new Date()): string {
  return crypto
    .createHmac('sha256', secrets.derive('client address'))
    .update(`${now.toISOString().slice(0, 10)}|${address}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The tip form's fields as the browser sends them (every value a string, checkboxes a list). */
export type TipFormBody = Record<string, string | string[] | undefined>;

/** A field the page marks, and why. */
export interface TipFormError {
  field: string;
  problem: 'tooLong' | 'invalid' | 'empty';
  max?: number;
}

const single = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
const list = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim());

const normalisedName = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Reads the tip form: every field within its limit, the red flags from the catalogue, a place
 * named as one of the agency's (else kept as the sender wrote it). Answers the tip, or the
 * fields to mark.
 */
export function readTipForm(
  body: TipFormBody,
  language: PublicLanguage,
  places: { id: string; name: string }[],
): { tip: NewTip } | { errors: TipFormError[] } {
  const errors: TipFormError[] = [];
  const text = (field: string, max: number) => {
    const value = single(body[field]);
    if (value.length > max) errors.push({ field, problem: 'tooLong', max });
    return value.slice(0, max);
  };
  const flags = list(body.redFlags);
  if (flags.some((f) => !(redFlagCodes as readonly string[]).includes(f)) || flags.length > 20) {
    errors.push({ field: 'redFlags', problem: 'invalid' });
  }
  const placeName = text('place', 200);
  const place = placeName
    ? places.find((p) => normalisedName(p.name) === normalisedName(placeName))
    : undefined;
  const whereText = text('whereText', tipLimits.whereText);
  const lat = single(body.lat);
  const lon = single(body.lon);
  const position =
    lat && lon
      ? z
          .object({
            lat: z.coerce.number().min(-90).max(90),
            lon: z.coerce.number().min(-180).max(180),
          })
          .safeParse({ lat, lon })
      : undefined;
  if (position && !position.success) errors.push({ field: 'lat', problem: 'invalid' });
  const seenOn = single(body.seenOn);
  if (seenOn && !localDateSchema.safeParse(seenOn).success) {
    errors.push({ field: 'seenOn', problem: 'invalid' });
  }
  const seenTime = single(body.seenTime);
  if (seenTime && !/^([01]\d|2[0-3]):[0-5]\d$/.test(seenTime)) {
    errors.push({ field: 'seenTime', problem: 'invalid' });
  }
  const vehicles = [1, 2].map((n) => ({
    plate: text(`plate${n}`, tipLimits.plate),
    plateState: text(`plateState${n}`, tipLimits.plateState),
    description: text(`vehicle${n}`, tipLimits.vehicleDescription),
  }));
  const people = text('people', tipLimits.people);
  const narrative = text('narrative', tipLimits.narrative);
  const contact = text('contact', tipLimits.contact);
  const contactSafe = single(body.contactSafe);
  if (contactSafe && !(contactSafeAnswers as readonly string[]).includes(contactSafe)) {
    errors.push({ field: 'contactSafe', problem: 'invalid' });
  }
  const described =
    flags.length > 0 ||
    narrative !== '' ||
    people !== '' ||
    vehicles.some((v) => v.plate || v.description);
  if (!described) errors.push({ field: 'narrative', problem: 'empty' });
  if (errors.length > 0) return { errors };
  return {
    tip: {
      redFlags: [...new Set(flags)] as NewTip['redFlags'],
      placeId: place?.id ?? null,
      seenOn: seenOn || null,
      seenTime: seenTime || null,
      language,
      content: {
        // A place the agency does not know by that name is kept as the sender wrote it.
        whereText: [place ? '' : placeName, whereText].filter(Boolean).join('\n'),
        position: position?.success ? position.data : null,
        vehicles: vehicles.filter((v) => v.plate || v.plateState || v.description),
        people,
        narrative,
        contact,
        contactSafe: (contactSafe || null) as NewTip['content']['contactSafe'],
      },
    },
  };
}
