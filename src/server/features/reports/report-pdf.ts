import PDFDocument from 'pdfkit';
import type { AfterActionReport } from '#shared/contracts/reports.ts';
import { pdfFonts, undrawableCharacters, undrawableMark, withPdfFonts } from './pdf-fonts.ts';

/**
 * The after-action report as a PDF, for the chief and the file: a cover, totals against goals,
 * charts by day and by material, a table by place, red flags and actions, and the supervisor's
 * account. Pure: it draws what the report holds (a few hundred rows at most, whatever the
 * number of records), and the caller pipes the document where it goes.
 */
export function renderReportPdf(report: AfterActionReport): PDFKit.PDFDocument {
  const pdf = ReportPdf.open(`After-action report: ${report.initiative.name}`, report.agency.name);
  const { doc } = pdf;
  pdf.cover(report);
  pdf.totals(report);
  pdf.byDay(report);
  pdf.byMaterial(report);
  pdf.places(report);
  pdf.redFlagsAndActions(report);
  pdf.narrative(report);
  pdf.pageNumbers(`${report.initiative.name}: after-action report`);
  doc.end();
  return doc;
}

const ink = '#1b1b1b';
const muted = '#565c65';
const primary = '#1a4480';
const secondary = '#73b3e7';
const rule = '#dfe1e2';

export const formatNumber = (value: number) =>
  value.toLocaleString('en-US', { maximumFractionDigits: 1 });
const percent = (value: number) =>
  `${(value * 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}%`;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

/** A report's pages: a title page, headings, notes, tables that run over pages, page numbers. */
export class ReportPdf {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** A letter-size document with the title and author its readers' software shows. */
  static open(title: string, author: string, subject = 'After-action report'): ReportPdf {
    return new ReportPdf(
      withPdfFonts(
        new PDFDocument({
          size: 'LETTER',
          margin: 54,
          bufferPages: true,
          info: { Title: title, Author: author, Subject: subject, Creator: 'Milepost' },
        }),
      ),
    );
  }

  get left() {
    return this.doc.page.margins.left;
  }

  get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  room(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string) {
    this.room(60);
    this.doc.moveDown(0.8);
    this.doc.font(pdfFonts.bold).fontSize(15).fillColor(primary).text(text, this.left);
    this.doc.moveDown(0.3);
    this.doc.font(pdfFonts.regular).fontSize(10).fillColor(ink);
  }

  note(text: string) {
    this.doc.font(pdfFonts.regular).fontSize(9).fillColor(muted).text(text, this.left, this.doc.y, {
      width: this.width,
    });
    this.doc.fillColor(ink).fontSize(10);
  }

  /**
   * A sentence for the title page when some of `texts` is in a script the PDF's typeface cannot
   * draw (Cyrillic, Gurmukhi, Chinese...): those words print as a mark, and the reader is told
   * where to read them; empty when every letter prints.
   */
  unprintableNote(texts: (string | null | undefined)[]): string {
    const missing = undrawableCharacters(this.doc, texts.filter(Boolean).join(' '));
    return missing.length === 0
      ? ''
      : ` Some words are in a script this PDF cannot print; each run of them is marked ${undrawableMark}: read them in Milepost.`;
  }

  cover(report: AfterActionReport) {
    this.titlePage({
      kicker: 'After-action report',
      title: report.initiative.name,
      lines: [`${report.initiative.startsOn} to ${report.initiative.endsOn}`, report.agency.name],
      description: report.initiative.description,
      note:
        `Status: ${report.initiative.status}. Generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC by Milepost ` +
        `from the agency's records; dates are local dates in ${report.agency.timeZone}.` +
        this.unprintableNote([
          report.agency.name,
          report.initiative.name,
          report.initiative.description,
          report.narrative,
          ...report.places.map((p) => p.name),
        ]),
    });
  }

  /** The first page: what the document is, its title, a few lines, and where it comes from. */
  titlePage(page: {
    kicker: string;
    title: string;
    lines: string[];
    description: string;
    note: string;
  }) {
    const { doc } = this;
    doc.rect(0, 0, doc.page.width, 8).fill(primary);
    doc.y = 160;
    doc.font(pdfFonts.regular).fontSize(12).fillColor(muted).text(page.kicker, this.left);
    doc.moveDown(0.5);
    doc.font(pdfFonts.bold).fontSize(26).fillColor(ink).text(page.title, { width: this.width });
    doc.moveDown(0.5);
    doc.font(pdfFonts.regular).fontSize(14);
    for (const line of page.lines) doc.text(line).moveDown(0.3);
    if (page.description) {
      doc.moveDown(0.7).fontSize(11).fillColor(muted).text(page.description, { width: this.width });
    }
    doc.moveDown(2);
    this.note(page.note);
    doc.addPage();
  }

  totals(report: AfterActionReport) {
    this.heading('Totals against goals');
    this.table(
      [
        { header: 'Metric', width: 0.46 },
        { header: 'Actual', width: 0.16, align: 'right' },
        { header: 'Goal', width: 0.16, align: 'right' },
        { header: 'Progress', width: 0.22, align: 'right' },
      ],
      report.totals.map((t) => [
        t.label,
        formatNumber(t.value),
        t.goal === null ? '' : formatNumber(t.goal),
        t.progress === null ? '' : percent(t.progress),
      ]),
    );
    const { inspections } = report;
    if (inspections.shareWithOutreach !== null) {
      this.doc.moveDown(0.5);
      this.note(
        `${formatNumber(inspections.withOutreach)} of ${formatNumber(inspections.recorded + inspections.imported)} ` +
          `inspections (${percent(inspections.shareWithOutreach)}) included outreach; ` +
          `${formatNumber(inspections.imported)} came from the state's inspection file.`,
      );
    }
  }

  byDay(report: AfterActionReport) {
    const { unit, columns } = chartColumns(report.byDay);
    this.heading(`By ${unit}`);
    if (columns.length === 0) return this.note('Nothing was recorded.');
    const series = [
      { label: 'Inspections', color: primary, value: (c: ChartColumn) => c.inspections },
      { label: 'Outreach visits', color: secondary, value: (c: ChartColumn) => c.outreachVisits },
    ];
    const chartHeight = 150;
    this.room(chartHeight + 60);
    const { doc } = this;
    const top = doc.y + 10;
    const max = Math.max(1, ...columns.flatMap((c) => series.map((s) => s.value(c))));
    const slot = this.width / columns.length;
    const barWidth = Math.max(1, Math.min(18, (slot - 6) / series.length));
    // NOTE: a figure wider than its bar would run into the next one's: below 9 points, the
    // bars go without their figures (by-day.csv of the bundle has them all).
    const withFigures = barWidth >= 9;
    // One date in every `step` columns, so that no two labels overlap.
    const step = Math.ceil(34 / slot);
    doc.moveTo(this.left, top + chartHeight).lineTo(this.left + this.width, top + chartHeight);
    doc.strokeColor(rule).stroke();
    columns.forEach((column, index) => {
      const x0 = this.left + index * slot + (slot - barWidth * series.length) / 2;
      series.forEach((s, k) => {
        const value = s.value(column);
        const height = (value / max) * (chartHeight - 14);
        const x = x0 + k * barWidth;
        doc.rect(x, top + chartHeight - height, Math.max(barWidth - 1, 0.5), height).fill(s.color);
        if (withFigures) {
          doc
            .fillColor(ink)
            .fontSize(7)
            .text(formatNumber(value), x - 6, top + chartHeight - height - 9, {
              width: barWidth + 12,
              align: 'center',
              lineBreak: false,
            });
        }
      });
      if (index % step === 0) {
        const labelWidth = Math.max(slot, 34);
        doc
          .fontSize(7)
          .fillColor(muted)
          .text(
            column.label,
            this.left + index * slot + (slot - labelWidth) / 2,
            top + chartHeight + 4,
            {
              width: labelWidth,
              align: 'center',
              lineBreak: false,
            },
          );
      }
    });
    let legendX = this.left;
    const legendY = top + chartHeight + 18;
    for (const s of series) {
      doc.rect(legendX, legendY, 8, 8).fill(s.color);
      doc
        .fillColor(ink)
        .fontSize(8)
        .text(s.label, legendX + 12, legendY, { lineBreak: false });
      legendX += 12 + doc.widthOfString(s.label) + 16;
    }
    doc.x = this.left;
    doc.y = legendY + 16;
    doc.fontSize(10);
    if (!withFigures) this.note('The figures of each day are in by-day.csv, in the CSV bundle.');
  }

  byMaterial(report: AfterActionReport) {
    this.heading('Material handed out, by kind and language');
    if (report.byMaterial.length === 0) return this.note('No material was handed out.');
    const { doc } = this;
    const max = Math.max(1, ...report.byMaterial.map((m) => m.quantity));
    const labelWidth = 150;
    for (const m of report.byMaterial) {
      this.room(18);
      const y = doc.y;
      const width = ((this.width - labelWidth - 50) * m.quantity) / max;
      doc
        .fillColor(ink)
        .fontSize(9)
        .text(`${m.label} (${m.language})`, this.left, y + 2, {
          width: labelWidth - 6,
          lineBreak: false,
          ellipsis: true,
        });
      doc.rect(this.left + labelWidth, y, Math.max(width, 1), 12).fill(primary);
      doc.fillColor(ink).text(formatNumber(m.quantity), this.left + labelWidth + width + 4, y + 2, {
        lineBreak: false,
      });
      doc.x = this.left;
      doc.y = y + 17;
    }
  }

  places(report: AfterActionReport) {
    this.heading('By place');
    if (report.places.length === 0) return this.note('No place was recorded or targeted.');
    this.table(
      [
        { header: 'Place', width: 0.4 },
        { header: 'Target', width: 0.1 },
        { header: 'Inspections', width: 0.125, align: 'right' },
        { header: 'Visits', width: 0.1, align: 'right' },
        { header: 'Material', width: 0.125, align: 'right' },
        { header: 'Reached', width: 0.15, align: 'right' },
      ],
      report.places.map((p) => [
        p.name,
        p.target ? (p.inspections + p.outreachVisits > 0 ? 'visited' : 'not yet') : '',
        formatNumber(p.inspections),
        formatNumber(p.outreachVisits),
        formatNumber(p.materialsHandedOut),
        formatNumber(p.peopleReached),
      ]),
    );
  }

  redFlagsAndActions(report: AfterActionReport) {
    this.heading('Red flags observed');
    if (report.redFlags.length === 0) this.note('No red flag was recorded.');
    else
      this.table(
        [
          { header: 'Red flag', width: 0.8 },
          { header: 'Times', width: 0.2, align: 'right' },
        ],
        report.redFlags.map((f) => [f.label, formatNumber(f.count)]),
      );
    this.heading('Actions taken');
    const taken = report.actions.filter((a) => a.code !== 'none');
    if (taken.length === 0) this.note('No action beyond the inspection was recorded.');
    else
      this.table(
        [
          { header: 'Action', width: 0.8 },
          { header: 'Times', width: 0.2, align: 'right' },
        ],
        taken.map((a) => [a.label, formatNumber(a.count)]),
      );
  }

  narrative(report: AfterActionReport) {
    this.heading("Supervisor's account");
    if (!report.narrative) return this.note('Not written yet.');
    this.doc
      .font(pdfFonts.regular)
      .fontSize(10.5)
      .fillColor(ink)
      .text(report.narrative, this.left, this.doc.y, {
        width: this.width,
        paragraphGap: 6,
        lineGap: 2,
      });
  }

  pageNumbers(title: string) {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start + 1; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // NOTE: text below the bottom margin would start a new page; the footer lifts it.
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - bottomMargin + 20;
      doc.font(pdfFonts.regular).fontSize(8).fillColor(muted);
      doc.text(title, this.left, y, {
        width: this.width / 2 - 12,
        lineBreak: false,
        ellipsis: true,
        height: 10,
      });
      doc.text(`Page ${i + 1} of ${range.count}`, this.left + this.width / 2, y, {
        width: this.width / 2,
        align: 'right',
        lineBreak: false,
        height: 10,
      });
      doc.page.margins.bottom = bottomMargin;
    }
  }

  /** A table whose header repeats on each page it runs onto; no row is split across pages. */
  table(columns: Column[], rows: string[][]) {
    const { doc } = this;
    const widths = columns.map((c) => c.width * this.width - 6);
    // NOTE: a word wider than its column would be cut in two ("Outreac / h events", or a
    // count of 100,000,000 over two lines): such a cell is set smaller, down to 6 points.
    const sizeOf = (cell: string, width: number) => {
      const widest = Math.max(0, ...cell.split(/\s+/).map((word) => doc.widthOfString(word)));
      return widest <= width ? 9 : Math.max(6, (9 * width) / widest);
    };
    const heightOf = (cells: string[], bold: boolean) => {
      doc.font(bold ? pdfFonts.bold : pdfFonts.regular).fontSize(9);
      return (
        Math.max(
          ...cells.map((cell, i) => {
            const width = widths[i] ?? 0;
            const height = doc.fontSize(sizeOf(cell, width)).heightOfString(cell, { width });
            doc.fontSize(9);
            return height;
          }),
        ) + 6
      );
    };
    const drawRow = (cells: string[], bold: boolean, height: number) => {
      doc.font(bold ? pdfFonts.bold : pdfFonts.regular).fontSize(9);
      const y = doc.y;
      let x = this.left;
      cells.forEach((cell, i) => {
        const width = widths[i] ?? 0;
        doc
          .fontSize(sizeOf(cell, width))
          .fillColor(ink)
          .text(cell, x + 3, y + 3, { width, align: columns[i]?.align ?? 'left' });
        doc.fontSize(9);
        x += width + 6;
      });
      doc
        .moveTo(this.left, y + height)
        .lineTo(this.left + this.width, y + height)
        .strokeColor(rule)
        .stroke();
      doc.x = this.left;
      doc.y = y + height;
    };
    const header = columns.map((c) => c.header);
    const headerHeight = heightOf(header, true);
    const rowHeights = rows.map((row) => heightOf(row, false));
    this.room(headerHeight + Math.min(rowHeights[0] ?? 0, this.bottom - this.doc.page.margins.top));
    drawRow(header, true, headerHeight);
    rows.forEach((row, index) => {
      const height = rowHeights[index] ?? 0;
      if (doc.y + height > this.bottom) {
        doc.addPage();
        drawRow(header, true, headerHeight);
      }
      drawRow(row, false, height);
    });
    doc.font(pdfFonts.regular).fontSize(10);
  }
}

interface ChartColumn {
  label: string;
  inspections: number;
  outreachVisits: number;
}

/** The most columns the chart draws: beyond, they would be too thin to read. */
const chartColumnsMax = 31;

/**
 * The columns of the chart: one a day, or, when an initiative runs longer than a month, one a
 * week (from its first day), a month or a year: each column wide enough to see.
 */
export function chartColumns(days: AfterActionReport['byDay']): {
  unit: 'day' | 'week' | 'month' | 'year';
  columns: ChartColumn[];
} {
  const first = days[0]?.date;
  if (!first || days.length <= chartColumnsMax) {
    return {
      unit: 'day',
      columns: days.map((d) => ({
        label: d.date.slice(5),
        inspections: d.inspections,
        outreachVisits: d.outreachVisits,
      })),
    };
  }
  const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  const groupings = [
    {
      unit: 'week' as const,
      key: (date: string) => {
        const start = dayNumber(first) + Math.floor((dayNumber(date) - dayNumber(first)) / 7) * 7;
        return new Date(start * 86_400_000).toISOString().slice(5, 10);
      },
    },
    { unit: 'month' as const, key: (date: string) => date.slice(0, 7) },
    { unit: 'year' as const, key: (date: string) => date.slice(0, 4) },
  ];
  let grouped: { unit: 'week' | 'month' | 'year'; columns: ChartColumn[] } = {
    unit: 'year',
    columns: [],
  };
  for (const grouping of groupings) {
    const columns = new Map<string, ChartColumn>();
    for (const d of days) {
      const label = grouping.key(d.date);
      const column = columns.get(label) ?? { label, inspections: 0, outreachVisits: 0 };
      column.inspections += d.inspections;
      column.outreachVisits += d.outreachVisits;
      columns.set(label, column);
    }
    grouped = { unit: grouping.unit, columns: [...columns.values()] };
    if (columns.size <= chartColumnsMax) return grouped;
  }
  // Longer than 31 years: years side by side, as many to a column as it takes.
  const size = Math.ceil(grouped.columns.length / chartColumnsMax);
  const spans: ChartColumn[] = [];
  for (let i = 0; i < grouped.columns.length; i += size) {
    const span = grouped.columns.slice(i, i + size);
    spans.push({
      label: `${span[0]?.label}–${span.at(-1)?.label}`,
      inspections: span.reduce((sum, c) => sum + c.inspections, 0),
      outreachVisits: span.reduce((sum, c) => sum + c.outreachVisits, 0),
    });
  }
  return { unit: 'year', columns: spans };
}
