import type { countries } from '../contracts/agencies.ts';

/**
 * The national human-trafficking hotline of each country Milepost serves, as printed on Truckers
 * Against Trafficking material and listed in Milepost's domain notes. Numbers change: these are
 * the one place they are written, each with the day it was last checked against its source
 * (public pages show it), and an agency adds its own (with the date it verified them) in its
 * settings.
 */
export const nationalHotlines: Record<
  (typeof countries)[number],
  { label: string; number: string; text?: string; web?: string; verifiedOn: string }
> = {
  US: {
    label: 'National Human Trafficking Hotline',
    number: '1-888-373-7888',
    text: '233733',
    web: 'https://humantraffickinghotline.org',
    verifiedOn: '2026-11-29',
  },
  CA: {
    label: 'Canadian Human Trafficking Hotline',
    number: '1-833-900-1010',
    verifiedOn: '2026-11-29',
  },
  MX: {
    label: 'línea contra la trata de personas',
    number: '01800-5533-000',
    verifiedOn: '2026-11-29',
  },
};
