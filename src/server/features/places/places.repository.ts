import { and, asc, eq, gt, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { places } from '#db/schema.ts';
import type { PlaceKind } from '#shared/catalogues/field.ts';

export type PlaceRow = typeof places.$inferSelect;
export type PlaceInsert = typeof places.$inferInsert;

export async function findPlace(db: Executor, id: string): Promise<PlaceRow | undefined> {
  const [row] = await db.select().from(places).where(eq(places.id, id));
  return row;
}

export async function insertPlace(db: Executor, row: PlaceInsert): Promise<PlaceRow> {
  const [created] = await db.insert(places).values(row).returning();
  if (!created) throw new Error('insert into places returned no row');
  return created;
}

export async function updatePlaceRow(
  db: Executor,
  id: string,
  changes: Partial<PlaceInsert>,
  version?: number,
): Promise<PlaceRow | undefined> {
  const [row] = await db
    .update(places)
    .set({ ...changes, version: sql`${places.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(places.id, id), version === undefined ? undefined : eq(places.version, version)))
    .returning();
  return row;
}

const kmPerDegree = 111.32;

function distanceSql(lat: number, lon: number): SQL<number> {
  // Haversine in SQL; PGlite has no PostGIS, and this needs none.
  return sql<number>`(2 * 6371.0088 * asin(least(1, sqrt(
    power(sin(radians(${places.lat} - ${lat}) / 2), 2) +
    cos(radians(${lat})) * cos(radians(${places.lat})) * power(sin(radians(${places.lon} - ${lon}) / 2), 2)
  ))))`;
}

export interface PlaceFilter {
  agencyId: string;
  kind?: PlaceKind | undefined;
  /** Normalised name fragment. */
  nameContains?: string | undefined;
}

function filterConditions(filter: PlaceFilter): (SQL | undefined)[] {
  return [
    eq(places.agencyId, filter.agencyId),
    isNull(places.deletedAt),
    filter.kind ? eq(places.kind, filter.kind) : undefined,
    filter.nameContains ? like(places.normalizedName, `%${filter.nameContains}%`) : undefined,
  ];
}

/**
 * The `limit` places nearest to a point. A band of latitude (indexed) and longitude around the
 * point narrows the search; the band widens until it holds enough places or covers the globe.
 */
export async function listPlacesNear(
  db: Executor,
  filter: PlaceFilter,
  point: { lat: number; lon: number },
  limit: number,
): Promise<(PlaceRow & { distanceKm: number })[]> {
  for (let radiusKm = 10; ; radiusKm *= 4) {
    const dLat = radiusKm / kmPerDegree;
    const cosLat = Math.max(0.01, Math.cos((point.lat * Math.PI) / 180));
    const dLon = Math.min(180, radiusKm / (kmPerDegree * cosLat));
    const everywhere = radiusKm >= 20_000;
    const distance = distanceSql(point.lat, point.lon);
    const rows = await db
      .select({ place: places, distanceKm: distance })
      .from(places)
      .where(
        and(
          ...filterConditions(filter),
          everywhere
            ? undefined
            : sql`${places.lat} between ${point.lat - dLat} and ${point.lat + dLat}`,
          everywhere || dLon >= 180
            ? undefined
            : sql`${places.lon} between ${point.lon - dLon} and ${point.lon + dLon}`,
          everywhere ? undefined : sql`${distance} <= ${radiusKm}`,
        ),
      )
      .orderBy(distance, asc(places.id))
      .limit(limit);
    if (rows.length >= limit || everywhere) {
      return rows.map((r) => ({ ...r.place, distanceKm: Number(r.distanceKm) }));
    }
  }
}

/** Places by name, a page at a time after the `name|id` cursor. */
export async function listPlacesByName(
  db: Executor,
  filter: PlaceFilter,
  after: { name: string; id: string } | undefined,
  limit: number,
): Promise<PlaceRow[]> {
  return db
    .select()
    .from(places)
    .where(
      and(
        ...filterConditions(filter),
        after
          ? or(
              gt(places.normalizedName, after.name),
              and(eq(places.normalizedName, after.name), gt(places.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(places.normalizedName), asc(places.id))
    .limit(limit);
}
