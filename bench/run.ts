// `npm run bench`: runs every benchmark in this folder in turn; each prints its figures and saves
// them as JSON under bench/results/.
import fs from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const only = process.argv[2];
const files = fs
  .readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => !only || name.startsWith(only))
  .sort();

for (const file of files) {
  process.stdout.write(`\n# ${file}\n`);
  await import(path.join(here, file));
}
