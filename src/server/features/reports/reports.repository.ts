import { inArray } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { places } from '#db/schema.ts';

/** Name and kind of the given places (an initiative's targets). */
export function placeLabels(
  db: Executor,
  ids: string[],
): Promise<{ id: string; name: string; kind: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({ id: places.id, name: places.name, kind: places.kind })
    .from(places)
    .where(inArray(places.id, ids));
}
