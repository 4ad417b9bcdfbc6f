import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { z } from 'zod';
import { AppError, ValidationError } from '../../errors.ts';

/** An upload longer than its route takes. */
export class ImportTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';

  constructor(limitBytes: number) {
    super(
      `The file is larger than ${Math.round(limitBytes / 2 ** 20)} MB, the most this import takes. Nothing was imported.`,
    );
    // The client may still be sending: end the connection rather than read the rest.
    this.headers.connection = 'close';
  }
}

/**
 * The upload as it streams in, cut short with ImportTooLargeError as soon as it passes
 * `limitBytes`: a streamed body is not held to Fastify's body limit, which only counts the
 * bodies Fastify reads itself. The upload itself is left alone (not destroyed), so that the
 * refusal can still be answered before the connection closes. An upload cut off before its end
 * ends the reading with an error too.
 */
export function limitedUpload(input: NodeJS.ReadableStream, limitBytes: number): Transform {
  let received = 0;
  let ended = false;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      received += chunk.length;
      if (received > limitBytes) done(new ImportTooLargeError(limitBytes));
      else done(null, chunk);
    },
  });
  input.on('end', () => {
    ended = true;
  });
  input.on('error', (error: Error) => limiter.destroy(error));
  input.on('close', () => {
    if (!ended) limiter.destroy(new Error('the upload was cut off before its end'));
  });
  input.pipe(limiter);
  return limiter;
}

/**
 * The records of a CSV file, each an object keyed by the header's names as `columns` makes
 * them. A row may leave out trailing fields (left empty, as spreadsheets write them). A file that
 * is not CSV (a quote never closed, a row with more fields than the header: an unquoted comma)
 * is refused whole, naming the line. An upload that fails while it streams (too large, cut off)
 * ends the reading with its error.
 */
export async function* readCsvRecords(
  input: NodeJS.ReadableStream | string,
  columns: (header: string[]) => string[],
): AsyncGenerator<Record<string, string>> {
  const parser = parse({
    columns,
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count_less: true,
  });
  if (typeof input === 'string') parser.end(input);
  else
    pipeline(input, parser).catch(() => {
      // The parser is destroyed with the error, and the loop below throws it.
    });
  try {
    for await (const record of parser) yield record as Record<string, string>;
  } catch (error) {
    if (error instanceof CsvError) {
      throw ValidationError.field('file', `is not valid CSV: ${error.message}`);
    }
    throw error;
  }
}

/** Why PostgreSQL could not store `text` as it is, if it could not. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (/\p{Cs}/u.test(text)) return 'is not valid Unicode (a lone surrogate)';
  return null;
}

/** A string PostgreSQL can store: no NUL character, no lone surrogate. */
export const storableString = () =>
  z.string().superRefine((text, ctx) => {
    const problem = unstorableText(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
