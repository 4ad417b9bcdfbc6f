import {
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  Packer,
  Paragraph,
  TextRun,
} from 'docx';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import type { Observation } from '#shared/contracts/statistics.ts';
import { apDate, apNumber, parsePeriod, renderStatistic } from '#shared/statistics.ts';

/** A piece of a paragraph: words, or the mark of a footnote (numbered from 1). */
type Segment = { text: string } | { footnote: number };

/** A news-release draft: what the supervisor edits before it goes anywhere. */
export interface NewsRelease {
  headline: string;
  dateline: string;
  paragraphs: Segment[][];
  /** Where to read more: the addresses of the sources. */
  moreInformation: string[];
  footnotes: string[];
}

/** A reference statistic chosen for the release, with the series' sentence. */
export interface QuotedStatistic {
  sentence: string;
  unit: string;
  observation: Observation;
}

export interface Hotline {
  label: string;
  number: string;
}

/**
 * Drafts the news release of an initiative: headline, dateline, an opening paragraph with what
 * was done and where, numbers in AP style, a quote to fill in, the hotline and how to get help,
 * and "for more information". Every figure carries a footnote: the agency's own records for its
 * counts, the source and period for each reference statistic.
 */
export function draftNewsRelease(
  report: AfterActionReport,
  statistics: QuotedStatistic[],
  hotlines: Hotline[],
): NewsRelease {
  const { agency, initiative } = report;
  const footnotes: string[] = [
    `${agency.name}, records of the ${initiative.name} (${apDate(initiative.startsOn)} to ` +
      `${apDate(initiative.endsOn)}) kept in Milepost, as of ${apDate(report.generatedAt.slice(0, 10))}.`,
  ];
  const records = { footnote: 1 };
  const total = (metric: string) => report.totals.find((t) => t.metric === metric)?.value ?? 0;
  const count = (metric: string, one: string, many: string) => {
    const value = total(metric);
    return `${apNumber(value)} ${value === 1 ? one : many}`;
  };

  const did: string[] = [];
  if (total('inspections') > 0) {
    did.push(
      `gave out information during ${count('inspections_with_outreach', 'routine inspection', 'routine inspections')} of trucks and buses`,
    );
  }
  if (total('places_visited') > 0) {
    did.push(
      `visited ${count('places_visited', 'truck stop or other place', 'truck stops and other places')} where drivers and the public stop`,
    );
  }
  const material = ['wallet_cards', 'window_decals', 'posters']
    .filter((m) => total(m) > 0)
    .map((m) =>
      m === 'wallet_cards'
        ? count(m, 'wallet card', 'wallet cards')
        : m === 'window_decals'
          ? count(m, 'window decal', 'window decals')
          : count(m, 'poster', 'posters'),
    );
  if (material.length > 0) did.push(`handed out ${joinWords(material)}`);

  const opening: Segment[] = [
    {
      text:
        `Officers of the ${agency.name} took part in the ${initiative.name} from ` +
        `${apDate(initiative.startsOn, false)} to ${apDate(initiative.endsOn)}` +
        (did.length > 0 ? `. They ${joinWords(did)}.` : '.'),
    },
    records,
  ];
  const paragraphs: Segment[][] = [opening];

  const outreach = [
    ['presentations', 'presentation', 'presentations'],
    ['carrier_trainings', 'carrier training', 'carrier trainings'],
    ['media_contacts', 'media contact', 'media contacts'],
    ['social_posts', 'social-media post', 'social-media posts'],
    ['outreach_events', 'outreach event', 'outreach events'],
  ]
    .filter(([metric]) => total(metric ?? '') > 0)
    .map(([metric, one, many]) => count(metric ?? '', one ?? '', many ?? ''));
  if (outreach.length > 0) {
    paragraphs.push([
      { text: `The squad also reached people beyond the roadside: ${joinWords(outreach)}.` },
      records,
    ]);
  }
  if (total('red_flag_observations') > 0) {
    paragraphs.push([
      {
        text:
          `Officers noted ${count('red_flag_observations', 'possible sign', 'possible signs')} of trafficking` +
          (total('referrals') > 0
            ? ` and made ${count('referrals', 'referral', 'referrals')} to the hotline or investigators.`
            : '.'),
      },
      records,
    ]);
  }

  paragraphs.push([
    {
      text:
        '“[Quote from the squad: why this matters here, and what drivers can do.]” said ' +
        '[name, title].',
    },
  ]);

  const moreInformation: string[] = [];
  for (const statistic of statistics) {
    const { observation } = statistic;
    const period = parsePeriod(observation.period);
    if (!period) continue;
    const { sentence, citation } = renderStatistic(
      statistic.sentence || `{value} ${statistic.unit} in {period}`,
      { value: observation.value, period, unit: statistic.unit },
      observation,
    );
    footnotes.push(
      `${citation} Figure for ${observation.periodText}.${observation.verified ? '' : ' Not verified against the original source.'}`,
    );
    paragraphs.push([{ text: sentence }, { footnote: footnotes.length }]);
    if (observation.url && !moreInformation.includes(observation.url)) {
      moreInformation.push(observation.url);
    }
  }

  const lines = hotlines.map((h) => `${h.label} at ${h.number}`);
  paragraphs.push([
    {
      text:
        'Anyone who sees someone in immediate danger should call 911.' +
        (lines.length > 0 ? ` To report a tip or to get help, call the ${joinWords(lines)}.` : '') +
        ' Do not approach; note the vehicle, its plate, the people, the time and the place.',
    },
  ]);

  return {
    headline: `${agency.name} takes part in ${initiative.name}`,
    dateline: `[CITY, State] (${apDate(report.generatedAt.slice(0, 10))})`,
    paragraphs,
    moreInformation,
    footnotes,
  };
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The draft in Markdown, footnotes as `[^n]`. */
export function newsReleaseMarkdown(release: NewsRelease): string {
  const paragraph = (segments: Segment[]) =>
    segments.map((s) => ('text' in s ? s.text : `[^${s.footnote}]`)).join('');
  const parts = [`# ${release.headline}`, '', `**${release.dateline}** —`, ''];
  for (const p of release.paragraphs) parts.push(paragraph(p), '');
  if (release.moreInformation.length > 0) {
    parts.push('For more information:', '', ...release.moreInformation.map((u) => `- <${u}>`), '');
  }
  parts.push('###', '');
  release.footnotes.forEach((note, index) => {
    parts.push(`[^${index + 1}]: ${note}`);
  });
  return `${parts.join('\n')}\n`;
}

/** The draft as a Word document, each figure's source a real footnote. */
export function newsReleaseDocx(release: NewsRelease): Promise<Buffer> {
  const footnotes = Object.fromEntries(
    release.footnotes.map((note, index) => [index + 1, { children: [new Paragraph(note)] }]),
  );
  const body = release.paragraphs.map(
    (segments) =>
      new Paragraph({
        spacing: { after: 200 },
        children: segments.map((s) =>
          'text' in s ? new TextRun(s.text) : new FootnoteReferenceRun(s.footnote),
        ),
      }),
  );
  const more = release.moreInformation.map(
    (url) =>
      new Paragraph({
        bullet: { level: 0 },
        children: [
          new ExternalHyperlink({
            link: url,
            children: [new TextRun({ text: url, style: 'Hyperlink' })],
          }),
        ],
      }),
  );
  const document = new Document({
    creator: 'Milepost',
    title: release.headline,
    description: 'News-release draft',
    footnotes,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(release.headline)] }),
          new Paragraph({
            spacing: { after: 200 },
            children: [new TextRun({ text: `${release.dateline} —`, bold: true })],
          }),
          ...body,
          ...(more.length > 0 ? [new Paragraph('For more information:'), ...more] : []),
          new Paragraph({ alignment: 'center', children: [new TextRun('###')] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
