// Writes to the write-ahead log of an embedded database (messages, no rows) until the segment
// being written is its last file and has just under LEAVE bytes left: writes that add LEAVE to
// the log then need a new 16 MB segment. Used by full-disk.db.test.ts to reach, in seconds, the
// failure a disk that fills meets after many minutes of writes. LEAVE must stay above a quarter
// of a segment: a checkpoint (this script's close) makes the next segment in advance otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '#db/client.ts';

const [dataDir, leave] = process.argv.slice(2);
if (!dataDir || !leave) throw new Error('usage: wal-near-segment-end DATA_DIR LEAVE_BYTES');

const segmentBytes = 16 * 1024 * 1024;
const database = await openDatabase({ engine: 'pglite', dataDir, command: 'wal-near-segment-end' });
const position = async () => {
  const result = await database.db.execute<{ file: string; offset: string }>(
    sql`select pg_walfile_name(pg_current_wal_insert_lsn()) as file,
          (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text as offset`,
  );
  const row = result.rows[0];
  if (!row) throw new Error('no WAL position');
  return { file: row.file, left: segmentBytes - (Number(row.offset) % segmentBytes) };
};
const laterSegments = (current: string) =>
  fs
    .readdirSync(path.join(dataDir, 'pglite', 'pg_wal'))
    .filter((name) => /^[0-9A-F]{24}$/.test(name) && name > current).length;

for (;;) {
  const { file, left } = await position();
  if (laterSegments(file) === 0 && left < Number(leave)) break;
  // A megabyte at a time, then to just under LEAVE (a message takes some bytes of its own).
  const size = Math.max(1024, Math.min(1024 * 1024, left - Number(leave) + 65_536));
  await database.db.execute(
    sql`select pg_logical_emit_message(false, 'milepost-test', repeat('x', ${size}::int))`,
  );
}
process.stdout.write(`left ${(await position()).left}\n`);
await database.close();
