import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes a stream to `file` whole or not at all: into a partial file beside it, flushed to disk,
 * then renamed over `file`. A failure midway leaves neither the partial file nor a truncated
 * `file` behind, and an existing `file` untouched.
 */
export async function writeOutputFile(file: string, source: Readable): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const sink = fs.createWriteStream(partial, { flush: true });
  try {
    await pipeline(source, sink);
    await fs.promises.rename(partial, file);
  } catch (error) {
    // NOTE: a write stream destroyed before its file opened still opens and closes it
    // afterwards; removing the file before 'close' would let it reappear.
    if (!sink.closed) await once(sink, 'close');
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}
