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

/** Registers Milepost's typeface with a new document and makes it the current font. */
export function withPdfFonts(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  doc.registerFont(pdfFonts.regular, fontFile(pdfFonts.regular));
  doc.registerFont(pdfFonts.bold, fontFile(pdfFonts.bold));
  return doc.font(pdfFonts.regular);
}

/** A fontkit font, as PDFKit holds it for an embedded font. */
interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/**
 * The characters of `text` that the document's current font cannot draw (they would print as
 * empty boxes), each once: the scripts beyond Latin, such as Cyrillic, Gurmukhi or Chinese.
 */
export function undrawableCharacters(doc: PDFKit.PDFDocument, text: string): string[] {
  // NOTE: PDFKit keeps the fontkit font of an embedded font as `_font.font`; it is not typed.
  const font = (doc as unknown as { _font?: { font?: GlyphSource } })._font?.font;
  if (!font) return [];
  const missing = new Set<string>();
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || /\s/u.test(character)) continue;
    if (!font.hasGlyphForCodePoint(codePoint)) missing.add(character);
  }
  return [...missing];
}
