import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Saves one benchmark's figures, with what they were measured on, as bench/results/NAME.json. */
export function saveResults(name: string, figures: Record<string, unknown>): string {
  const dir = path.join(import.meta.dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const record = {
    benchmark: name,
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    ...figures,
  };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
