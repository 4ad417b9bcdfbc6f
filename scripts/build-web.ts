// Builds the field app (dist/web) when its sources are newer than the last build: `npm start`
// and the browser tests call it, so a fresh clone serves the app without a separate step.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist/web/.built');
const sources = ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json'];

function newestChange(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...fs.readdirSync(entry).map((name) => newestChange(path.join(entry, name))),
  );
}

/** Builds dist/web when a source changed since the last build (or always, with `force`). */
export function buildWebIfStale(force = false): void {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const changed = Math.max(...sources.map((s) => newestChange(path.join(root, s))));
  if (changed <= built && !force) return;
  process.stdout.write('Building the web app (dist/web)…\n');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    // NOTE: Vite keeps a NODE_ENV it inherits; under Vitest that is `test`, which would build
    // React's development bundle, three times the size and much slower.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  fs.writeFileSync(stamp, new Date().toISOString());
}

if (import.meta.filename === process.argv[1]) buildWebIfStale(process.argv.includes('--force'));
