import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { nationalHotlines } from '#shared/catalogues/hotlines.ts';
import type { AgencyRow } from '../agencies/agencies.repository.ts';
import { pdfFonts, withPdfFonts } from '../reports/pdf-fonts.ts';
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

/** A paragraph of printable material: its words, their font and size, and the space after. */
interface Block {
  text: string;
  font: string;
  size: number;
  color?: string;
  /** Space after, in lines of this block's size. */
  after?: number;
  bullet?: boolean;
}

const bulletIndent = 14;

/**
 * The size at which `text` holds on one line of `width` (an address someone may type: a break
 * inside it reads as two), from `size` down to 7 points; below that it wraps.
 */
function oneLineSize(
  doc: PDFKit.PDFDocument,
  text: string,
  font: string,
  size: number,
  width: number,
) {
  const wide = doc.font(font).fontSize(size).widthOfString(text);
  // A point short of the width: the line wrapper measures with rounding of its own.
  return wide <= width - 1 ? size : Math.max(7, (size * (width - 1)) / wide);
}

/** How tall `blocks` are, one under the other, `width` points wide, their sizes times `fit`. */
function heightOfBlocks(doc: PDFKit.PDFDocument, blocks: Block[], width: number, fit: number) {
  let height = 0;
  for (const block of blocks) {
    doc.font(block.font).fontSize(block.size * fit);
    height += doc.heightOfString(block.text, {
      width: block.bullet ? width - bulletIndent : width,
    });
    height += (block.after ?? 0) * doc.currentLineHeight(true);
  }
  return height;
}

/** Draws `blocks` from (x, y); a bullet's lines all start after its bullet. */
function drawBlocks(
  doc: PDFKit.PDFDocument,
  blocks: Block[],
  x: number,
  y: number,
  width: number,
  fit: number,
) {
  doc.y = y;
  for (const block of blocks) {
    doc
      .font(block.font)
      .fontSize(block.size * fit)
      .fillColor(block.color ?? ink);
    if (block.bullet) {
      const top = doc.y;
      doc.text('•', x + 4, top, { lineBreak: false });
      doc.text(block.text, x + bulletIndent, top, { width: width - bulletIndent });
    } else {
      doc.text(block.text, x, doc.y, { width });
    }
    doc.y += (block.after ?? 0) * doc.currentLineHeight(true);
  }
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
  const doc = withPdfFonts(
    new PDFDocument({
      size: card ? [360, 504] : 'LETTER',
      margin: card ? 28 : 54,
      info: {
        Title: `${agency.name}: ${m.pageTitle}`,
        Author: agency.name,
        Subject: m.scanPrompt,
        Creator: 'Milepost',
      },
    }),
  );
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = doc.page.height - doc.page.margins.bottom;
  const scale = card ? 0.62 : 1;

  // The agency's name on the band across the top: the band grows with a long name, so that no
  // line of it falls, white on white, below the band.
  doc.font(pdfFonts.bold).fontSize(14 * scale + (card ? 2 : 0));
  const nameTop = card ? 13 : 24;
  const band = Math.max(
    card ? 40 : 64,
    nameTop * 2 + doc.heightOfString(agency.name, { width }) - 6,
  );
  doc.rect(0, 0, doc.page.width, band).fill(primary);
  doc.fillColor('#ffffff').text(agency.name, left, nameTop, { width });

  const numbers: Block[] = [
    { text: national.label, font: pdfFonts.regular, size: 13 * scale + 1 },
    { text: national.number, font: pdfFonts.bold, size: 28 * scale + 2 },
    ...(national.text
      ? [
          {
            text: `${m.hotlineText}: ${national.text}`,
            font: pdfFonts.regular,
            size: 13 * scale + 1,
          },
        ]
      : []),
    ...agency.hotlines.map((line) => ({
      text: `${line.label}: ${line.number}`,
      font: pdfFonts.regular,
      size: 12 * scale + 1,
    })),
  ];
  const lastNumber = numbers.at(-1);
  if (lastNumber) lastNumber.after = 0.8;
  const signs: Block[] = card
    ? []
    : [
        { text: m.signsTitle, font: pdfFonts.bold, size: 15, after: 0.2 },
        ...(
          [
            'unaware_of_location',
            'id_held_by_other',
            'cannot_speak_freely',
            'fearful_submissive',
            'lot_drop_off',
            'minor_offered',
          ] as const
        ).map((code) => ({
          text: m.redFlags[code],
          font: pdfFonts.regular,
          size: 11,
          bullet: true,
        })),
      ];
  const blocks: Block[] = [
    { text: m.pageTitle, font: pdfFonts.bold, size: 30 * scale, after: 0.5 },
    { text: m.intro, font: pdfFonts.regular, size: 13 * scale + 1, after: 0.8 },
    { text: m.emergency, font: pdfFonts.bold, size: 20 * scale + 2, color: danger, after: 0.4 },
    { text: m.hotlineTitle, font: pdfFonts.bold, size: 14 * scale + 2 },
    ...numbers,
    ...signs,
  ];

  // The QR code keeps its size, so that a phone reads it from across a counter; the text above
  // it is made smaller, if it must, to leave it room on the page.
  const qrSize = card ? 150 : 170;
  const qrY = bottom - qrSize - (card ? 30 : 20);
  const top = band + (card ? 16 : 32);
  const fit = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5].find(
    (f) => top + heightOfBlocks(doc, blocks, width, f) <= qrY - 8,
  );
  drawBlocks(doc, blocks, left, top, width, fit ?? 0.5);

  const textX = left + qrSize + 14;
  const textWidth = width - qrSize - 14;
  drawQrCode(doc, pageUrl, left, qrY, qrSize);
  const beside: Block[] = [
    { text: m.scanPrompt, font: pdfFonts.regular, size: 12 * scale + 1, after: 0.3 },
    {
      text: pageUrl,
      font: pdfFonts.bold,
      size: oneLineSize(doc, pageUrl, pdfFonts.bold, 11 * scale + 1, textWidth),
    },
  ];
  const besideFit = [1, 0.9, 0.8, 0.7, 0.6].find(
    (f) => qrY + 16 + heightOfBlocks(doc, beside, textWidth, f) <= bottom,
  );
  drawBlocks(doc, beside, textX, qrY + 16, textWidth, besideFit ?? 0.6);
  return bytesOf(doc);
}
