// Writes one agency to an embedded database and waits to be killed, or reads it back.
// Used by processes.db.test.ts to show that an acknowledged write survives SIGKILL.
import { eq } from 'drizzle-orm';
import { openDatabase } from '#db/client.ts';
import { agencies } from '#db/schema.ts';
import { inTransaction } from '#db/transaction.ts';

const [dataDir, mode, slug] = process.argv.slice(2);
if (!dataDir || !mode) throw new Error('usage: write-then-wait DATA_DIR write|read [SLUG]');

const database = await openDatabase({
  engine: 'pglite',
  dataDir,
  command: `write-then-wait ${mode}`,
});
await database.migrate();
if (mode === 'write') {
  const newSlug = `killed-${Date.now()}`;
  await inTransaction(database.db, async (tx) => {
    await tx.insert(agencies).values({
      slug: newSlug,
      name: 'Written before SIGKILL',
      country: 'US',
      timeZone: 'America/Chicago',
    });
  });
  process.stdout.write(`acknowledged ${newSlug}\n`);
  setInterval(() => {}, 1000);
} else {
  const rows = await database.db
    .select()
    .from(agencies)
    .where(eq(agencies.slug, slug ?? ''));
  process.stdout.write(`found ${rows.length}\n`);
  await database.close();
}
