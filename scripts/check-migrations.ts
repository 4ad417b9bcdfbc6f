// Fails when src/db/schema.ts and the committed migrations have drifted apart: it asks
// drizzle-kit to generate a migration into a scratch copy and checks that none was needed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const committed = path.join(root, 'src/db/migrations');
// drizzle-kit takes --out relative to the working folder, so the scratch copy lives in the repo
// (in .tmp/, which git ignores).
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const scratch = fs.mkdtempSync(path.join(root, '.tmp', 'drift-'));

try {
  fs.cpSync(committed, scratch, { recursive: true });
  const before = new Set(fs.readdirSync(scratch));
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/drizzle-kit/bin.cjs'),
      'generate',
      '--dialect=postgresql',
      '--schema=./src/db/schema.ts',
      `--out=${path.relative(root, scratch)}`,
      '--name=drift',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const output = result.stdout + result.stderr;
  if (result.status !== 0 || /Error/.test(output)) {
    process.stderr.write(output);
    throw new Error('drizzle-kit generate failed');
  }
  const added = fs.readdirSync(scratch).filter((name) => !before.has(name));
  if (added.length > 0) {
    const sql = added
      .filter((name) => name.endsWith('.sql'))
      .map((name) => fs.readFileSync(path.join(scratch, name), 'utf8'))
      .join('\n');
    process.stderr.write(
      `The schema has changes that no committed migration holds:\n\n${sql}\n\n` +
        'Run `npm run db:generate -- --name <what-changed>` and commit the migration.\n',
    );
    process.exitCode = 1;
  } else if (!/No schema changes/.test(output)) {
    process.stderr.write(output);
    throw new Error('drizzle-kit neither generated a migration nor reported the schema unchanged');
  } else {
    process.stdout.write('Migrations match the schema.\n');
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
