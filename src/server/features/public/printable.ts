import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { nationalHotlines } from '#shared/catalogues/hotlines.ts';
import type { AgencyRow } from '../agencies/agencies.repository.ts';
import { type PublicLanguage, publicMessages } from './messages.ts';

const ink = '#1b1b1b';
const primary = '#162e51';
const danger = '#b50909';

/**
 * The QR code of `text`, drawn as squares (a vector: sharp at any print size), `size` points
 * wide with its quiet zone, its top left corner at (x, y).
 */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cell = size / (modules.size + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.data[row * modules.size + column]) {
        doc.rect(x + (quiet + column) * cell, y + (quiet + row) * cell, cell, cell);
      }
    }
  }
  doc.fill('#000000');
  doc.restore();
}

/** The PDF's bytes, once it is written. */
function bytesOf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * Printable material of an agency, in one language: a flyer (letter size) for truck-stop
 * boards, and a window card (5 by 7 inches) for a cab or a counter. Each carries the agency's
 * name, 911, the national hotline and the agency's own lines, and a QR code to its public page.
 */
export function renderPrintable(
  kind: 'flyer' | 'window-card',
  input: { agency: AgencyRow; language: PublicLanguage; pageUrl: string },
): Promise<Buffer> {
  const { agency, language, pageUrl } = input;
  const m = publicMessages[language];
  const national = nationalHotlines[agency.country];
  const card = kind === 'window-card';
  const doc = new PDFDocument({
    size: card ? [360, 504] : 'LETTER',
    margin: card ? 28 : 54,
    info: {
      Title: `${agency.name}: ${m.pageTitle}`,
      Author: agency.name,
      Subject: m.scanPrompt,
      Creator: 'Milepost',
    },
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const scale = card ? 0.62 : 1;

  doc.rect(0, 0, doc.page.width, card ? 40 : 64).fill(primary);
  doc
    .fillColor('#ffffff')
    .font('Helvetica-Bold')
    .fontSize(14 * scale + (card ? 2 : 0))
    .text(agency.name, left, card ? 13 : 24, { width });
  doc.y = card ? 56 : 96;
  doc
    .fillColor(ink)
    .font('Helvetica-Bold')
    .fontSize(30 * scale)
    .text(m.pageTitle, left, doc.y, {
      width,
    });
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(13 * scale + 1)
    .text(m.intro, { width });
  doc.moveDown(0.8);

  doc
    .fillColor(danger)
    .font('Helvetica-Bold')
    .fontSize(20 * scale + 2)
    .text(m.emergency, { width });
  doc.moveDown(0.4);
  doc
    .fillColor(ink)
    .fontSize(14 * scale + 2)
    .text(m.hotlineTitle, { width });
  doc
    .font('Helvetica')
    .fontSize(13 * scale + 1)
    .text(national.label, { width });
  doc
    .font('Helvetica-Bold')
    .fontSize(28 * scale + 2)
    .text(national.number, { width });
  if (national.text) {
    doc
      .font('Helvetica')
      .fontSize(13 * scale + 1)
      .text(`${m.hotlineText}: ${national.text}`, { width });
  }
  for (const line of agency.hotlines) {
    doc
      .font('Helvetica')
      .fontSize(12 * scale + 1)
      .text(`${line.label}: ${line.number}`, { width });
  }
  doc.moveDown(0.8);

  if (!card) {
    doc.font('Helvetica-Bold').fontSize(15).text(m.signsTitle, { width });
    doc.moveDown(0.2);
    doc.font('Helvetica').fontSize(11);
    for (const code of [
      'unaware_of_location',
      'id_held_by_other',
      'cannot_speak_freely',
      'fearful_submissive',
      'lot_drop_off',
      'minor_offered',
    ] as const) {
      doc.text(`•  ${m.redFlags[code]}`, { width, indent: 8 });
    }
    doc.moveDown(0.8);
  }

  const qrSize = card ? 150 : 170;
  const bottom = doc.page.height - doc.page.margins.bottom;
  const qrY = Math.max(doc.y, bottom - qrSize - (card ? 30 : 20));
  drawQrCode(doc, pageUrl, left, qrY, qrSize);
  const textX = left + qrSize + 14;
  doc
    .fillColor(ink)
    .font('Helvetica')
    .fontSize(12 * scale + 1)
    .text(m.scanPrompt, textX, qrY + 16, { width: width - qrSize - 14 });
  doc.moveDown(0.3);
  doc
    .font('Helvetica-Bold')
    .fontSize(11 * scale + 1)
    .text(pageUrl, { width: width - qrSize - 14 });
  return bytesOf(doc);
}
