import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import type { CreatePlace, ListPlacesQuery, Place, UpdatePlace } from '#shared/contracts/places.ts';
import { normalizePlaceName } from '#shared/places.ts';
import type { RequestContext } from '../../context.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { createOnce, fingerprint, withCreateRetry } from '../../records/idempotency.ts';
import { recordChange } from '../audit/audit.service.ts';
import { staleVersion } from '../initiatives/initiatives.service.ts';
import {
  findPlace,
  insertPlace,
  listPlacesByName,
  listPlacesNear,
  type PlaceRow,
  updatePlaceRow,
} from './places.repository.ts';

export function toPlace(row: PlaceRow, distanceKm?: number): Place {
  return {
    id: row.id,
    agencyId: row.agencyId,
    kind: row.kind,
    name: row.name,
    position: { lat: row.lat, lon: row.lon },
    address: row.address,
    brand: row.brand,
    operator: row.operator,
    highway: row.highway,
    exit: row.exit,
    osmId: row.osmId,
    source: row.source,
    attribution: row.attribution,
    ...(distanceKm === undefined ? {} : { distanceKm: Math.round(distanceKm * 1000) / 1000 }),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The agency's live place, or NotFound. */
export async function requirePlace(db: Executor, agencyId: string, id: string): Promise<PlaceRow> {
  const row = await findPlace(db, id);
  if (!row || row.deletedAt || row.agencyId !== agencyId) throw new NotFoundError('place', id);
  return row;
}

export async function createPlace(
  db: Database,
  ctx: RequestContext,
  input: CreatePlace,
): Promise<{ place: Place; created: boolean }> {
  const hash = fingerprint(input);
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'place',
        agencyId: ctx.actor.agencyId,
        hash,
        find: () => findPlace(tx, input.id),
        insert: () =>
          insertPlace(tx, {
            id: input.id,
            agencyId: ctx.actor.agencyId,
            kind: input.kind,
            name: input.name,
            normalizedName: normalizePlaceName(input.name),
            lat: input.position.lat,
            lon: input.position.lon,
            address: input.address,
            brand: input.brand,
            operator: input.operator,
            highway: input.highway,
            exit: input.exit,
            requestHash: hash,
          }),
      });
      const place = toPlace(record);
      if (created) {
        await recordChange(tx, ctx, {
          action: 'place.created',
          entityType: 'place',
          entityId: place.id,
          agencyId: place.agencyId,
          after: place,
        });
      }
      return { place, created };
    }),
  );
}

export async function getPlace(db: Executor, ctx: RequestContext, id: string): Promise<Place> {
  return toPlace(await requirePlace(db, ctx.actor.agencyId, id));
}

export async function updatePlace(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdatePlace,
): Promise<Place> {
  return inTransaction(db, async (tx) => {
    const current = await requirePlace(tx, ctx.actor.agencyId, id);
    const { version, position, name, ...rest } = input;
    const updated = await updatePlaceRow(
      tx,
      id,
      {
        ...rest,
        ...(name ? { name, normalizedName: normalizePlaceName(name) } : {}),
        ...(position ? { lat: position.lat, lon: position.lon } : {}),
      },
      version,
    );
    if (!updated) throw staleVersion('place', current.version);
    const after = toPlace(updated);
    await recordChange(tx, ctx, {
      action: 'place.updated',
      entityType: 'place',
      entityId: id,
      agencyId: current.agencyId,
      before: toPlace(current),
      after,
    });
    return after;
  });
}

export async function listPlaces(
  db: Executor,
  ctx: RequestContext,
  query: ListPlacesQuery,
): Promise<{ items: Place[]; nextCursor: string | null }> {
  const filter = {
    agencyId: ctx.actor.agencyId,
    kind: query.kind,
    nameContains: query.q ? normalizePlaceName(query.q) : undefined,
  };
  if (query.near) {
    if (query.cursor)
      throw ValidationError.field('cursor', 'does not go with near: ask for a larger limit');
    const rows = await listPlacesNear(db, filter, query.near, query.limit);
    return { items: rows.map((r) => toPlace(r, r.distanceKm)), nextCursor: null };
  }
  const after = parseNameCursor(query.cursor);
  const rows = await listPlacesByName(db, filter, after, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toPlace(r)),
    nextCursor: rows.length > query.limit && last ? `${last.normalizedName}|${last.id}` : null,
  };
}

function parseNameCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const match = /^([a-z0-9]*)\|([0-9a-f-]{36})$/.exec(cursor);
  if (!match || match[1] === undefined || !match[2]) {
    throw ValidationError.field('cursor', 'is not a cursor this list gave');
  }
  return { name: match[1], id: match[2] };
}
