import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { readQrCode } from '../test/pdf-qr.ts';

/**
 * The programs people open Milepost's files with, from Debian's packages: LibreOffice
 * (`libreoffice-writer-nogui`, `libreoffice-calc-nogui`) for Word documents and spreadsheets,
 * and poppler (`poppler-utils`), which most PDF viewers on Linux are built on, for PDFs. The
 * tests read what these programs show, not the bytes Milepost wrote.
 */
const run = promisify(execFile);
const soffice = process.env.MILEPOST_SOFFICE ?? 'soffice';

async function runProgram(program: string, args: string[], timeout = 60_000) {
  const { stdout } = await run(program, args, {
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'buffer',
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
  });
  return stdout;
}

/** A folder of the system's temporary folder, removed by `cleanUp`. */
export function scratchFolder(prefix: string): { dir: string; cleanUp(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * LibreOffice, headless: converts every file of `inputs` to `target` (`pdf`, `html`, or a
 * filter such as `csv:Text - txt - csv (StarCalc):…`) in one start of the program, which takes
 * seconds. A throwaway profile keeps the tests from the user's own and from each other's.
 * Answers the converted files, in the order of `inputs`.
 */
export async function convertWithLibreOffice(
  inputs: string[],
  target: string,
  options: { outDir: string; inputFilter?: string },
): Promise<string[]> {
  const profile = scratchFolder('milepost-lo-profile-');
  try {
    await runProgram(
      soffice,
      [
        `-env:UserInstallation=file://${profile.dir}`,
        '--headless',
        '--norestore',
        ...(options.inputFilter ? [`--infilter=${options.inputFilter}`] : []),
        '--convert-to',
        target,
        '--outdir',
        options.outDir,
        ...inputs,
      ],
      180_000,
    );
  } finally {
    profile.cleanUp();
  }
  const extension = target.split(':')[0] ?? target;
  return inputs.map((input) => {
    const output = path.join(options.outDir, `${path.parse(input).name}.${extension}`);
    if (!fs.existsSync(output)) throw new Error(`LibreOffice did not convert ${input}`);
    return output;
  });
}

/**
 * The CSV files as LibreOffice Calc opens them, as a person would: UTF-8, comma-separated,
 * numbers and dates recognised, and formulas evaluated (as Excel always does), then each
 * sheet written back as the cells show. Answers each file's rows of cells.
 */
export async function openInCalc(inputs: string[], outDir: string): Promise<string[][][]> {
  // Import: comma, double quote, UTF-8 (76), from line 1, standard columns, US English, quoted
  // fields as text off, special numbers detected, …, evaluate formulas on (token 13).
  const inputFilter =
    'Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1,true';
  // Export: the same separators, UTF-8, the cells' contents as shown, formulas not written.
  const target = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false';
  const outputs = await convertWithLibreOffice(inputs, target, { outDir, inputFilter });
  return outputs.map((file) => parse(fs.readFileSync(file, 'utf8'), { relaxColumnCount: true }));
}

/**
 * The text a reader of the PDF sees, page by page, in reading order (`pdftotext`): a table
 * cell's lines come together, as a person reads them.
 */
export async function pdfText(file: string): Promise<string[]> {
  const text = (await runProgram('pdftotext', ['-enc', 'UTF-8', file, '-'])).toString('utf8');
  return text.split('\f').slice(0, -1);
}

/** A word as poppler places it on its page, in points from the top left corner. */
export interface PlacedWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every page's size and the words on it, where poppler places them (`pdftotext -bbox`). */
export async function pdfWords(
  file: string,
): Promise<{ width: number; height: number; words: PlacedWord[] }[]> {
  const xml = (await runProgram('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'])).toString(
    'utf8',
  );
  return [...xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map(
    (page) => ({
      width: Number(page[1]),
      height: Number(page[2]),
      words: [
        ...(page[3] ?? '').matchAll(
          /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g,
        ),
      ].map((w) => ({
        xMin: Number(w[1]),
        yMin: Number(w[2]),
        xMax: Number(w[3]),
        yMax: Number(w[4]),
        text: w[5] ?? '',
      })),
    }),
  );
}

/** What `pdfinfo` says of the PDF: `Pages`, `Title`, `Page size`… */
export async function pdfInfo(file: string): Promise<Record<string, string>> {
  const text = (await runProgram('pdfinfo', ['-enc', 'UTF-8', file])).toString('utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.match(/^([^:]+):\s*(.*)$/))
      .filter((m) => m !== null)
      .map((m) => [m[1] ?? '', m[2] ?? '']),
  );
}

/** A page drawn in grey levels (0 black, 255 white). */
export interface PageImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Draws every page of the PDF as poppler does for a viewer (`pdftoppm`), at `dpi`. */
export async function renderPdfPages(file: string, dpi = 100): Promise<PageImage[]> {
  const prefix = `${file.replace(/\.pdf$/, '')}-${dpi}dpi`;
  await runProgram('pdftoppm', ['-r', String(dpi), '-gray', file, prefix]);
  const dir = path.dirname(file);
  const base = path.basename(prefix);
  const pageNumberOf = (name: string) => Number(name.match(/-(\d+)\.pgm$/)?.[1] ?? 0);
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(`${base}-`) && name.endsWith('.pgm'))
    .sort((a, b) => pageNumberOf(a) - pageNumberOf(b))
    .map((name) => readPgm(fs.readFileSync(path.join(dir, name))));
}

/** Draws every page of the PDF as a PNG beside it, for a person to look at. */
export async function drawForPeople(file: string): Promise<void> {
  await runProgram('pdftoppm', ['-r', '60', '-png', file, file.replace(/\.pdf$/, '')]);
}

/** A binary greymap (P5), as pdftoppm writes it. */
function readPgm(file: Buffer): PageImage {
  const header = file.subarray(0, 64).toString('latin1');
  const match = header.match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!match) throw new Error('not a binary greymap');
  const [whole, width, height] = match;
  return {
    width: Number(width),
    height: Number(height),
    pixels: file.subarray(whole.length),
  };
}

/** The share of a page's pixels that are ink (darker than mid-grey). */
export function inkOf(page: PageImage): number {
  let dark = 0;
  for (const value of page.pixels) if (value < 128) dark++;
  return dark / page.pixels.length;
}

/** The text of a QR code on the page, read as a phone's camera would read the printed page. */
export function qrCodeOfPage(page: PageImage): string | undefined {
  const rgba = new Uint8ClampedArray(page.width * page.height * 4);
  page.pixels.forEach((value, i) => {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = value;
    rgba[i * 4 + 3] = 255;
  });
  return readQrCode(rgba, page.width, page.height);
}
