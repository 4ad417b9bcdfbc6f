import { count } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { agencies } from '#db/schema.ts';

export async function countAgencies(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(agencies);
  return row?.n ?? 0;
}
