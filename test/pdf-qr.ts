import { inflateSync } from 'node:zlib';
import jsQRModule from 'jsqr';

// NOTE: a CommonJS package whose types declare an ES default: the import is the function itself.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/**
 * The text of the QR code a Milepost PDF draws (printable.ts draws one as squares, one `re` per
 * dark module): read from the PDF's own drawing operators, laid out as pixels, and decoded by a
 * QR reader, as a phone's camera would.
 */
export function qrCodeOfPdf(pdf: Buffer): string | undefined {
  const text = pdf.toString('latin1');
  const squares: { x: number; y: number; size: number }[] = [];
  // Each stream is as long as its dictionary says: compressed bytes may end in a line break.
  for (const match of text.matchAll(/\/Length (\d+)[^>]*>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, start + Number(match[1]))).toString('latin1');
    } catch {
      continue;
    }
    for (const re of content.matchAll(/(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) re/g)) {
      const [x, y, w, h] = re.slice(1, 5).map(Number) as [number, number, number, number];
      if (Math.abs(w - h) < 0.01) squares.push({ x, y, size: w });
    }
  }
  // The modules are the commonest square; the quiet zone behind them is one large one.
  const bySize = new Map<string, typeof squares>();
  for (const s of squares) {
    const key = s.size.toFixed(3);
    bySize.set(key, [...(bySize.get(key) ?? []), s]);
  }
  const modules = [...bySize.values()].sort((a, b) => b.length - a.length)[0];
  if (!modules || modules.length < 50) return undefined;
  const cell = modules[0]?.size ?? 1;
  const left = Math.min(...modules.map((m) => m.x));
  const top = Math.min(...modules.map((m) => m.y));
  const count = Math.round((Math.max(...modules.map((m) => m.x)) - left) / cell) + 1;
  const scale = 4;
  const quiet = 4;
  const width = (count + 2 * quiet) * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const m of modules) {
    const column = Math.round((m.x - left) / cell) + quiet;
    const row = Math.round((m.y - top) / cell) + quiet;
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((row * scale + dy) * width + column * scale + dx) * 4;
        pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
      }
    }
  }
  return readQrCode(pixels, width, width);
}

/** The text of the QR code in an RGBA image (a drawn page, a photograph), if a reader finds one. */
export function readQrCode(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): string | undefined {
  return jsQR(rgba, width, height)?.data;
}
