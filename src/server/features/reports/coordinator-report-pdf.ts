import { type CoordinatorResults, submissionMetrics } from '#shared/contracts/coordination.ts';
import { pdfFonts } from './pdf-fonts.ts';
import { formatNumber, ReportPdf } from './report-pdf.ts';

/**
 * The after-action report of a coordinator initiative: its dates per country, the combined
 * totals, and each participating agency's submitted counts (never a record of theirs).
 */
export function renderCoordinatorReportPdf(
  results: CoordinatorResults,
  generatedAt: string,
): PDFKit.PDFDocument {
  const { initiative, totals } = results;
  const pdf = ReportPdf.open(`After-action report: ${initiative.name}`, initiative.coordinator);
  pdf.titlePage({
    kicker: 'After-action report, all participating agencies',
    title: initiative.name,
    lines: [
      ...initiative.windows.map((w) => `${w.country}: ${w.startsOn} to ${w.endsOn}`),
      initiative.coordinator,
    ],
    description: initiative.description,
    note:
      `${totals.jurisdictions} of ${results.agencies.length} participating agencies had submitted their counts ` +
      `when Milepost generated this report, ${generatedAt.slice(0, 16).replace('T', ' ')} UTC. ` +
      'The totals are the sum of the submitted counts.' +
      pdf.unprintableNote([
        initiative.name,
        initiative.description,
        ...results.agencies.flatMap((a) => [a.jurisdiction, a.narrative]),
      ]),
  });
  pdf.heading('Combined totals');
  pdf.table(
    [
      { header: 'Count', width: 0.7 },
      { header: 'Total', width: 0.3, align: 'right' },
    ],
    [
      ['Jurisdictions', formatNumber(totals.jurisdictions)],
      ['Enforcement personnel', formatNumber(totals.personnel)],
      ...submissionMetrics.map((m) => [m.label, formatNumber(totals.counts[m.key])]),
    ],
  );
  pdf.heading('By agency');
  // Seven counts side by side: their headers ("Presentations") need the room more than the name.
  const share = 0.7 / submissionMetrics.length;
  pdf.table(
    [
      { header: 'Jurisdiction', width: 0.2 },
      { header: 'Personnel', width: 0.1, align: 'right' },
      ...submissionMetrics.map((m) => ({ header: m.label, width: share, align: 'right' as const })),
    ],
    results.agencies.map((a) => [
      a.status === 'submitted'
        ? a.jurisdiction
        : `${a.jurisdiction} (${a.status.replace('_', ' ')})`,
      formatNumber(a.personnel),
      ...submissionMetrics.map((m) => formatNumber(a.counts[m.key])),
    ]),
  );
  const accounts = results.agencies.filter((a) => a.status === 'submitted' && a.narrative);
  if (accounts.length > 0) {
    pdf.heading("Agencies' accounts");
    for (const a of accounts) {
      pdf.room(60);
      pdf.doc.font(pdfFonts.bold).fontSize(10.5).text(a.jurisdiction, pdf.left);
      pdf.doc.font(pdfFonts.regular).fontSize(10).text(a.narrative, pdf.left, pdf.doc.y, {
        width: pdf.width,
        paragraphGap: 6,
      });
      pdf.doc.moveDown(0.5);
    }
  }
  pdf.pageNumbers(`${initiative.name}: after-action report`);
  pdf.doc.end();
  return pdf.doc;
}
