import { describe, expect, it } from 'vitest';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import type { Observation } from '#shared/contracts/statistics.ts';
import { unzip } from '#test/zip.ts';
import {
  draftNewsRelease,
  footnotesOf,
  newsReleaseDocx,
  newsReleaseMarkdown,
  type QuotedStatistic,
} from './news-release.ts';

function reportOf(overrides: {
  agency?: Partial<AfterActionReport['agency']>;
  initiative?: Partial<AfterActionReport['initiative']>;
  generatedAt?: string;
}): AfterActionReport {
  const total = (metric: string, value: number) => ({
    metric,
    label: metric,
    value,
    goal: null,
    progress: null,
  });
  return {
    generatedAt: overrides.generatedAt ?? '2026-12-01T15:00:00.000Z',
    agency: {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Demo City Police',
      timeZone: 'America/Chicago',
      ...overrides.agency,
    },
    initiative: {
      id: '00000000-0000-4000-8000-000000000002',
      name: 'Awareness Week',
      description: '',
      startsOn: '2026-11-27',
      endsOn: '2026-12-03',
      status: 'active',
      ...overrides.initiative,
    },
    narrative: '',
    totals: [
      total('inspections', 12),
      total('inspections_with_outreach', 10),
      total('wallet_cards', 40),
      total('presentations', 2),
      total('red_flag_observations', 3),
      total('referrals', 1),
    ],
    inspections: { recorded: 12, imported: 0, withOutreach: 10, shareWithOutreach: 10 / 12 },
    byDay: [],
    byOfficer: [],
    byMaterial: [],
    places: [],
    redFlags: [],
    actions: [],
  };
}

function statistic(overrides: Partial<Observation> = {}): QuotedStatistic {
  return {
    sentence: '{value} persons were referred in {period}',
    unit: 'persons',
    observation: {
      id: '00000000-0000-4000-8000-000000000003',
      seriesKey: 'bjs.federal.referred',
      period: 'FY2021',
      periodKind: 'fiscal_year',
      periodStart: '2020-10-01',
      periodEnd: '2021-09-30',
      periodText: 'fiscal year 2021',
      value: 2027,
      sourceOrganisation: 'Bureau of Justice Statistics',
      publication: 'Human Trafficking Data Collection Activities, 2023',
      url: 'https://bjs.ojp.gov/library/publications/a_b',
      sourceTable: null,
      publishedOn: null,
      retrievedOn: null,
      notes: '',
      verified: true,
      supersedes: null,
      superseded: false,
      citation: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      ...overrides,
    },
  };
}

const hotlines = [{ label: 'National Human Trafficking Hotline', number: '1-888-373-7888' }];

describe('a news-release draft', () => {
  it('gives every mark a note of its own, numbered in reading order, in Markdown and in Word', async () => {
    const release = draftNewsRelease(reportOf({}), [statistic()], hotlines);
    const notes = footnotesOf(release);
    // The agency's records are cited by three paragraphs, the statistic by one.
    expect(notes).toHaveLength(4);
    expect(notes.slice(0, 3).every((n) => n.startsWith('Demo City Police, records of'))).toBe(true);
    expect(notes[3]).toContain('Bureau of Justice Statistics');

    const markdown = newsReleaseMarkdown(release);
    const [body = '', definitions = ''] = markdown.split('\n###\n');
    expect([...body.matchAll(/\[\^(\d+)\]/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
    expect([...definitions.matchAll(/^\[\^(\d+)\]: /gm)].map((m) => Number(m[1]))).toEqual([
      1, 2, 3, 4,
    ]);
    expect(markdown).toMatch(/referred in fiscal year 2021\.\[\^4\]/);
    expect(markdown).toMatch(/^\[\^4\]: Bureau of Justice Statistics/m);

    const files = unzip(await newsReleaseDocx(release));
    const document = String(files.get('word/document.xml'));
    const footnotes = String(files.get('word/footnotes.xml'));
    const references = [...document.matchAll(/<w:footnoteReference w:id="(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(references).toEqual([1, 2, 3, 4]);
    for (const [index, note] of notes.entries()) {
      const footnote = footnotes.match(
        new RegExp(`<w:footnote w:id="${index + 1}">([\\s\\S]*?)</w:footnote>`),
      )?.[1];
      expect(footnote, `footnote ${index + 1}`).toContain(note.slice(0, 40));
    }
    expect(document).toContain('w:w="12240" w:h="15840"');
  });

  it('dates the release in the agency’s time zone, and says the year of each date when the dates straddle a new year', () => {
    // 9 p.m. in Kansas City on Dec. 1 is 3 a.m. on Dec. 2 in UTC.
    const evening = draftNewsRelease(
      reportOf({ generatedAt: '2026-12-02T03:00:00.000Z' }),
      [],
      hotlines,
    );
    expect(evening.dateline).toBe('[CITY, State] (Dec. 1, 2026)');
    expect(footnotesOf(evening)[0]).toContain('as of Dec. 1, 2026');

    const text = (startsOn: string, endsOn: string) =>
      newsReleaseMarkdown(draftNewsRelease(reportOf({ initiative: { startsOn, endsOn } }), [], []));
    expect(text('2026-12-28', '2027-01-03')).toContain(
      'Awareness Week from Dec. 28, 2026, to Jan. 3, 2027.',
    );
    expect(text('2026-11-27', '2026-12-03')).toContain(
      'Awareness Week from Nov. 27 to Dec. 3, 2026.',
    );
    expect(text('2026-12-03', '2026-12-03')).toContain('Awareness Week on Dec. 3, 2026.');
  });

  it('shows names as written in Markdown: markup in them is escaped, addresses stay links', () => {
    const release = draftNewsRelease(
      reportOf({
        agency: { name: 'Police <img src=x onerror=alert(1)> *Unit* [x](javascript:alert(1))' },
        initiative: { name: 'Week_of_Action & `more`' },
      }),
      [statistic()],
      hotlines,
    );
    const markdown = newsReleaseMarkdown(release);
    expect(markdown).not.toMatch(/(?<!\\)<img/);
    expect(markdown).toContain(
      '# Police \\<img src=x onerror=alert(1)\\> \\*Unit\\* \\[x\\](javascript:alert(1))',
    );
    expect(markdown).toContain('Week\\_of\\_Action \\& \\`more\\`');
    expect(markdown).toContain('<https://bjs.ojp.gov/library/publications/a_b>');
    // Word shows the names as they are: a run of text is never markup there.
    expect(release.headline).toContain('<img src=x onerror=alert(1)>');
  });
});
