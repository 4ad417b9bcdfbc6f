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
import { localDateOf } from '#shared/time.ts';

/**
 * A piece of a paragraph: words, or a footnote, whose text stands where its mark goes. A note
 * is written once for each place that cites it, so that every mark has a note of its own.
 */
type Segment = { text: string } | { note: string };

/** A news-release draft: what the supervisor edits before it goes anywhere. */
export interface NewsRelease {
  headline: string;
  dateline: string;
  paragraphs: Segment[][];
  /** Where to read more: the addresses of the sources. */
  moreInformation: string[];
}

/**
 * The footnotes of a release in reading order, numbered from 1: the nth mark of the text is
 * note n, as Word and LibreOffice number them.
 */
export function footnotesOf(release: NewsRelease): string[] {
  return release.paragraphs.flatMap((segments) =>
    segments.flatMap((s) => ('note' in s ? [s.note] : [])),
  );
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
  // NOTE: the agency's date, not the server's: a release drafted at 8 p.m. in Kansas City is
  // dated that day, not the next (UTC).
  const today = localDateOf(new Date(report.generatedAt), agency.timeZone);
  // NOTE: Word and LibreOffice show a footnote at one mark only: one cited twice is written twice.
  const records = {
    note:
      `${agency.name}, records of the ${initiative.name} (${apDate(initiative.startsOn)} to ` +
      `${apDate(initiative.endsOn)}) kept in Milepost, as of ${apDate(today)}.`,
  };
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
        `Officers of the ${agency.name} took part in the ${initiative.name} ` +
        during(initiative.startsOn, initiative.endsOn) +
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
    paragraphs.push([
      { text: sentence },
      {
        note: `${citation} Figure for ${observation.periodText}.${observation.verified ? '' : ' Not verified against the original source.'}`,
      },
    ]);
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
    dateline: `[CITY, State] (${apDate(today)})`,
    paragraphs,
    moreInformation,
  };
}

/**
 * When, AP style: `on Dec. 3, 2026`, `from Nov. 27 to Dec. 3, 2026`, and across a new year
 * `from Dec. 28, 2026, to Jan. 3, 2027` (without the first year, the dates would read as one
 * year's).
 */
function during(startsOn: string, endsOn: string): string {
  if (startsOn === endsOn) return `on ${apDate(endsOn)}`;
  if (startsOn.slice(0, 4) === endsOn.slice(0, 4)) {
    return `from ${apDate(startsOn, false)} to ${apDate(endsOn)}`;
  }
  return `from ${apDate(startsOn)}, to ${apDate(endsOn)}`;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * Text from the records as Markdown shows it: every character that Markdown would read as
 * markup (emphasis, a link, HTML, an entity) escaped, and line breaks folded into the paragraph.
 */
function markdownText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>&~#]/g, '\\$&');
}

/** A footnote in Markdown: its words escaped, its addresses as links (`<https://…>`). */
function markdownNote(note: string): string {
  return note
    .split(/(https:\/\/[^\s<>]+|http:\/\/[^\s<>]+)/)
    .map((part, index) => (index % 2 === 1 ? `<${part}>` : markdownText(part)))
    .join('');
}

/** The draft in Markdown, footnotes as `[^n]`, each mark with a note of its own. */
export function newsReleaseMarkdown(release: NewsRelease): string {
  let marks = 0;
  const paragraph = (segments: Segment[]) =>
    segments.map((s) => ('text' in s ? markdownText(s.text) : `[^${++marks}]`)).join('');
  const parts = [
    `# ${markdownText(release.headline)}`,
    '',
    `**${markdownText(release.dateline)}** —`,
    '',
  ];
  for (const p of release.paragraphs) parts.push(paragraph(p), '');
  if (release.moreInformation.length > 0) {
    parts.push(
      'For more information:',
      '',
      ...release.moreInformation.map((u) => `- <${u.replace(/[\s<>]/g, encodeURIComponent)}>`),
      '',
    );
  }
  parts.push('###', '');
  footnotesOf(release).forEach((note, index) => {
    parts.push(`[^${index + 1}]: ${markdownNote(note)}`);
  });
  return `${parts.join('\n')}\n`;
}

/** A US letter page, in twentieths of a point: the paper of the agencies Milepost serves. */
const letter = { width: 12_240, height: 15_840 };

/** The draft as a Word document, each figure's source a real footnote. */
export function newsReleaseDocx(release: NewsRelease): Promise<Buffer> {
  const footnotes = Object.fromEntries(
    footnotesOf(release).map((note, index) => [index + 1, { children: [new Paragraph(note)] }]),
  );
  let marks = 0;
  const body = release.paragraphs.map(
    (segments) =>
      new Paragraph({
        spacing: { after: 200 },
        children: segments.map((s) =>
          'text' in s ? new TextRun(s.text) : new FootnoteReferenceRun(++marks),
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
        properties: { page: { size: letter } },
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
