import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The typeface of Milepost's PDFs: Public Sans, the U.S. Web Design System's, which the web app
 * already ships (`@uswds/uswds`, SIL Open Font License). Embedded, and subset to the letters a
 * document uses. PDFKit's standard fonts (Helvetica) know only Windows-1252: a place in Łódź, an
 * officer named Nguyễn or a tip in Romanian came out as other letters; Public Sans draws the
 * Latin alphabets of every language of the Americas and Europe, Vietnamese included.
 */
export const pdfFonts = { regular: 'PublicSans-Regular', bold: 'PublicSans-Bold' } as const;

const require = createRequire(import.meta.url);
const files = new Map<string, Buffer>();

function fontFile(name: string): Buffer {
  let file = files.get(name);
  if (!file) {
    file = fs.readFileSync(require.resolve(`@uswds/uswds/fonts/public-sans/${name}.ttf`));
    files.set(name, file);
  }
  return file;
}

/**
 * Registers Milepost's typeface with a new document and makes it the current font. Every text
 * the document draws or measures then goes through `drawableText` first.
 */
export function withPdfFonts(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  doc.registerFont(pdfFonts.regular, fontFile(pdfFonts.regular));
  doc.registerFont(pdfFonts.bold, fontFile(pdfFonts.bold));
  // NOTE: PDFKit measures a letter the font lacks at its real width but writes it twice as
  // wide: a line of Cyrillic ran off the page. So no such letter reaches PDFKit, in what it
  // draws as in what it measures (heightOfString lays the text out as text() does).
  const text = doc.text.bind(doc) as (text: string, ...rest: unknown[]) => PDFKit.PDFDocument;
  const heightOfString = doc.heightOfString.bind(doc);
  const widthOfString = doc.widthOfString.bind(doc);
  doc.text = ((value: string, ...rest: unknown[]) =>
    text(drawableText(doc, String(value)), ...rest)) as typeof doc.text;
  doc.heightOfString = (value, options) => heightOfString(drawableText(doc, value), options);
  doc.widthOfString = (value, options) => widthOfString(drawableText(doc, value), options);
  return doc.font(pdfFonts.regular);
}

/** A fontkit font, as PDFKit holds it for an embedded font. */
interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** Whether the document's current font draws `character`; spaces and controls count as drawn. */
function drawsCharacter(doc: PDFKit.PDFDocument): (character: string) => boolean {
  // NOTE: PDFKit keeps the fontkit font of an embedded font as `_font.font`; it is not typed.
  const font = (doc as unknown as { _font?: { font?: GlyphSource } })._font?.font;
  return (character) =>
    !font ||
    /[\s\p{Cc}\p{Cf}]/u.test(character) ||
    font.hasGlyphForCodePoint(character.codePointAt(0) ?? 0);
}

/**
 * The characters of `text` that the document's current font cannot draw, each once: the
 * scripts beyond Latin, such as Cyrillic, Gurmukhi or Chinese.
 */
export function undrawableCharacters(doc: PDFKit.PDFDocument, text: string): string[] {
  const draws = drawsCharacter(doc);
  return [...new Set([...text.normalize('NFC')].filter((c) => !draws(c)))];
}

/** Where words in a script the PDF cannot draw were: a mark the reader is told of. */
export const undrawableMark = '[…]';

/**
 * `text` as the PDF can draw it: composed (NFC), invisible format characters and controls other
 * than line breaks and tabs left out, and each run of words the font cannot draw (with the
 * spaces and punctuation between them) replaced by `[…]`.
 */
export function drawableText(doc: PDFKit.PDFDocument, text: string): string {
  const draws = drawsCharacter(doc);
  const characters = [...text.normalize('NFC').replace(/\p{Cf}|(?![\t\n\r])\p{Cc}/gu, '')];
  let drawable = '';
  for (let i = 0; i < characters.length; ) {
    const character = characters[i] ?? '';
    if (draws(character)) {
      drawable += character;
      i++;
      continue;
    }
    let end = i + 1;
    for (let j = end; j < characters.length; j++) {
      const next = characters[j] ?? '';
      if (!draws(next)) end = j + 1;
      else if (!/[\s\p{P}]/u.test(next)) break;
    }
    drawable += undrawableMark;
    i = end;
  }
  return drawable;
}
