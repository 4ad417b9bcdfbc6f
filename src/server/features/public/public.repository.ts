import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { places } from '#db/schema.ts';

/**
 * The places a sender may pick by name on the public page: the agency's truck stops, travel
 * plazas, rest areas, weigh stations, ports of entry and stations, by name, at most `limit`.
 */
export function listPublicPlaces(
  db: Executor,
  agencyId: string,
  limit: number,
): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: places.id, name: places.name })
    .from(places)
    .where(
      and(
        eq(places.agencyId, agencyId),
        isNull(places.deletedAt),
        inArray(places.kind, [
          'truck_stop',
          'travel_plaza',
          'rest_area',
          'weigh_station',
          'port_of_entry',
          'bus_station',
          'train_station',
        ]),
      ),
    )
    .orderBy(asc(places.name))
    .limit(limit);
}
