import type { CreateSeries } from '#shared/contracts/statistics.ts';
import type { Provenance } from '#shared/statistics.ts';

/**
 * The reference statistics Milepost ships: the figures gathered, with their sources, in the
 * project's domain notes (hotline figures for Missouri, federal human-trafficking prosecutions
 * from BJS, and the published results of the CVSA Human Trafficking Awareness Initiative).
 * Loaded on start and by every `milepost` command that opens the database, never over what is
 * stored: a figure revised since is kept.
 *
 * A source given only by its site name keeps that as its publication and no address; figures
 * the notes flag as doubtful are stored unverified, and reports say so.
 */
export interface PackSeries extends CreateSeries {
  observations: (Partial<Provenance> & {
    period: string;
    value: number;
    source: keyof typeof sources;
    notes?: string;
    verified?: boolean;
  })[];
}

const sources = {
  htdca2022: {
    sourceOrganisation: 'Bureau of Justice Statistics',
    publication: 'Human Trafficking Data Collection Activities, 2022',
  },
  htdca2023: {
    sourceOrganisation: 'Bureau of Justice Statistics',
    publication: 'Human Trafficking Data Collection Activities, 2023',
    url: 'https://bjs.ojp.gov/library/publications/human-trafficking-data-collection-activities-2023',
  },
  htdca2024: {
    sourceOrganisation: 'Bureau of Justice Statistics',
    publication: 'Human Trafficking Data Collection Activities, 2024',
    sourceTable: 'appendix table 1 (htdca24at01.csv)',
  },
  bjs2015: {
    sourceOrganisation: 'Bureau of Justice Statistics',
    publication: 'Federal Prosecution of Human-Trafficking Cases, 2015',
  },
  standAgainst: {
    sourceOrganisation: 'National Human Trafficking Hotline',
    publication: 'as quoted by Stand Against Trafficking, “Learn”',
    url: 'https://standagainsttrafficking.org/learn',
  },
  abc17: {
    sourceOrganisation: 'National Human Trafficking Hotline',
    publication: 'as quoted by ABC 17 News',
    publishedOn: '2023-01-09',
  },
  htai2022: {
    sourceOrganisation: 'Commercial Vehicle Safety Alliance',
    publication: 'Human Trafficking Awareness Initiative results, as reported by trucknews.com',
  },
  htai2023: {
    sourceOrganisation: 'Commercial Vehicle Safety Alliance',
    publication: 'Human Trafficking Awareness Initiative results, as reported by The Trucker',
  },
  htai2024: {
    sourceOrganisation: 'Commercial Vehicle Safety Alliance',
    publication: 'CVSA Guardian, vol. 31, issue 3',
  },
  htai2025: {
    sourceOrganisation: 'Commercial Vehicle Safety Alliance',
    publication: 'Human Trafficking Awareness Initiative results, as reported by FleetOwner',
  },
} satisfies Record<string, Partial<Provenance>>;

export function provenanceOf(key: keyof typeof sources): Provenance {
  return {
    url: null,
    sourceTable: null,
    publishedOn: null,
    retrievedOn: null,
    ...sources[key],
  };
}

const bjs = (
  key: string,
  subject: string,
  sentence: string,
  values: [period: string, value: number, source: keyof typeof sources][],
): PackSeries => ({
  key,
  subject,
  geography: 'United States (federal)',
  unit: 'persons',
  sentence,
  observations: values.map(([period, value, source]) => ({ period, value, source })),
});

const htai = (
  key: string,
  subject: string,
  unit: string,
  sentence: string,
  values: [period: string, value: number, doubt?: { notes: string; verified?: false }][],
): PackSeries => ({
  key: `cvsa.htai.${key}`,
  subject: `Human Trafficking Awareness Initiative: ${subject}`,
  geography: 'North America (CVSA jurisdictions)',
  unit,
  sentence,
  observations: values.map(([period, value, doubt]) => ({
    period,
    value,
    source: `htai${period}` as keyof typeof sources,
    ...doubt,
  })),
});

export const referencePack: PackSeries[] = [
  bjs(
    'bjs.federal.referred',
    'Persons referred to U.S. attorneys for human-trafficking offenses',
    '{value} persons were referred to U.S. attorneys for human-trafficking offenses in {period}',
    [
      ['FY2011', 1360, 'htdca2023'],
      ['FY2012', 1519, 'htdca2024'],
      ['FY2015', 1923, 'bjs2015'],
      ['FY2020', 2198, 'htdca2022'],
      ['FY2021', 2027, 'htdca2023'],
      ['FY2022', 1912, 'htdca2024'],
    ],
  ),
  bjs(
    'bjs.federal.prosecuted',
    'Persons prosecuted in U.S. district courts for human-trafficking offenses',
    '{value} persons were prosecuted for human-trafficking offenses in U.S. district courts in {period}',
    [
      ['FY2011', 729, 'htdca2023'],
      ['FY2012', 805, 'htdca2024'],
      ['FY2015', 1049, 'bjs2015'],
      ['FY2020', 1343, 'htdca2022'],
      ['FY2021', 1672, 'htdca2023'],
      ['FY2022', 1656, 'htdca2024'],
    ],
  ),
  bjs(
    'bjs.federal.convicted',
    'Persons convicted in U.S. district courts of human-trafficking offenses',
    '{value} persons were convicted of human-trafficking offenses in U.S. district courts in {period}',
    [
      ['FY2011', 464, 'htdca2023'],
      ['FY2012', 578, 'htdca2024'],
      ['FY2015', 769, 'bjs2015'],
      ['FY2020', 658, 'htdca2022'],
      ['FY2022', 1118, 'htdca2024'],
    ],
  ),
  {
    key: 'nhth.missouri.signals',
    subject: 'Signals (calls, texts, chats, e-mails, tips) to the hotline from Missouri',
    geography: 'Missouri',
    unit: 'signals',
    sentence: 'the hotline received {value} signals from Missouri in {period}',
    observations: [
      { period: '2007-12..2021-12', value: 6166, source: 'standAgainst' },
      { period: '2021', value: 1103, source: 'abc17' },
    ],
  },
  {
    key: 'nhth.missouri.signals_from_victims',
    subject: 'Signals to the hotline from Missouri made by victims or survivors',
    geography: 'Missouri',
    unit: 'signals',
    sentence: '{value} signals from Missouri in {period} came from victims or survivors',
    observations: [{ period: '2021', value: 355, source: 'abc17' }],
  },
  {
    key: 'nhth.missouri.cases',
    subject: 'Cases of human trafficking identified by the hotline in Missouri',
    geography: 'Missouri',
    unit: 'cases',
    sentence: 'the hotline identified {value} cases of human trafficking in Missouri in {period}',
    observations: [
      { period: '2007-12..2021-12', value: 1524, source: 'standAgainst' },
      { period: '2021', value: 240, source: 'abc17' },
    ],
  },
  {
    key: 'nhth.missouri.victims',
    subject: 'Victims identified in the hotline’s Missouri cases',
    geography: 'Missouri',
    unit: 'victims',
    sentence: '{value} victims were identified in the hotline’s Missouri cases in {period}',
    observations: [
      { period: '2007-12..2021-12', value: 3160, source: 'standAgainst' },
      { period: '2021', value: 327, source: 'abc17' },
    ],
  },
  htai(
    'jurisdictions',
    'jurisdictions taking part',
    'jurisdictions',
    '{value} jurisdictions took part in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2022', 35],
      ['2023', 45],
      ['2024', 51],
    ],
  ),
  htai(
    'personnel',
    'enforcement personnel taking part',
    'persons',
    '{value} enforcement personnel took part in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2022', 2460],
      ['2023', 3020],
      [
        '2024',
        3020,
        {
          notes: 'The same count as 2023 in the source; possibly a copy error.',
          verified: false,
        },
      ],
    ],
  ),
  htai(
    'wallet_cards',
    'wallet cards handed out',
    'wallet cards',
    '{value} wallet cards were handed out in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2022', 13274],
      ['2023', 45972],
      ['2024', 38158],
      ['2025', 41102],
    ],
  ),
  htai(
    'window_decals',
    'window decals handed out',
    'window decals',
    '{value} window decals were handed out in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2022', 6355],
      ['2023', 21763],
      ['2024', 13510],
      ['2025', 17033],
    ],
  ),
  htai(
    'posters',
    'posters put up',
    'posters',
    '{value} posters were put up in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2024', 1603],
      ['2025', 2468],
    ],
  ),
  htai(
    'events',
    'events held',
    'events',
    '{value} events were held in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2022', 163],
      ['2023', 218],
      ['2024', 334, { notes: 'Counted as outreach events; the definition changed.' }],
      ['2025', 87, { notes: 'Counted as outreach events; the definition changed.' }],
    ],
  ),
  htai(
    'presentations',
    'presentations given',
    'presentations',
    '{value} presentations were given in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2022', 1818],
      ['2023', 219],
      ['2024', 204],
      ['2025', 267],
    ],
  ),
  htai(
    'media_contacts',
    'media contacts',
    'media contacts',
    'the Human Trafficking Awareness Initiative made {value} media contacts in {period}',
    [
      ['2023', 8352],
      ['2024', 692],
      ['2025', 670],
    ],
  ),
  htai(
    'social_posts',
    'social-media posts',
    'posts',
    '{value} social-media posts were made in the Human Trafficking Awareness Initiative in {period}',
    [
      ['2024', 107],
      ['2025', 161],
    ],
  ),
];
