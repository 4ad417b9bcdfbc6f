import type { PlaceKind } from '#shared/catalogues/field.ts';
import { distanceKm, normalizePlaceName } from '#shared/places.ts';

/** A place read from an import file, before it is matched with what the agency has. */
export interface PlaceCandidate {
  kind: PlaceKind;
  name: string;
  lat: number;
  lon: number;
  address?: string | null;
  brand?: string | null;
  operator?: string | null;
  highway?: string | null;
  exit?: string | null;
  osmId?: string | null;
  source: 'csv' | 'osm';
  attribution?: string | null;
}

/** Same OSM element, or the same normalised name within this distance: the same place. */
export const duplicateRadiusKm = 0.15;

/** What an import writes of a place. */
export interface ImportedPlaceFields {
  kind: PlaceKind;
  name: string;
  normalizedName: string;
  lat: number;
  lon: number;
  address: string | null;
  brand: string | null;
  operator: string | null;
  highway: string | null;
  exit: string | null;
  osmId: string | null;
  source: 'manual' | 'csv' | 'osm';
  attribution: string | null;
}

/** A stored place, as much of it as matching needs. */
export interface StoredPlace extends ImportedPlaceFields {
  id: string;
  deletedAt: Date | null;
}

export type PlaceOutcome = 'added' | 'updated' | 'unchanged';

export interface PlaceImportPlan<S extends StoredPlace> {
  /** What became of each candidate, in the order given. */
  outcomes: PlaceOutcome[];
  /** New places, as the last of their rows leaves them. */
  inserts: (ImportedPlaceFields & { id: string })[];
  /** Stored places that change: as stored, and as the rows leave them. */
  updates: { before: S; after: ImportedPlaceFields & { id: string } }[];
}

interface Known<S> {
  id: string;
  fields: ImportedPlaceFields;
  stored: S | null;
  deleted: boolean;
  changed: boolean;
}

const mergedKeys = [
  'kind',
  'name',
  'normalizedName',
  'lat',
  'lon',
  'address',
  'brand',
  'operator',
  'highway',
  'exit',
  'osmId',
  'source',
  'attribution',
] as const satisfies readonly (keyof ImportedPlaceFields)[];

function fieldsOf(candidate: PlaceCandidate): ImportedPlaceFields {
  return {
    kind: candidate.kind,
    name: candidate.name,
    normalizedName: normalizePlaceName(candidate.name),
    lat: candidate.lat,
    lon: candidate.lon,
    address: candidate.address ?? null,
    brand: candidate.brand ?? null,
    operator: candidate.operator ?? null,
    highway: candidate.highway ?? null,
    exit: candidate.exit ?? null,
    osmId: candidate.osmId ?? null,
    source: candidate.source,
    attribution: candidate.attribution ?? null,
  };
}

/**
 * Matches the rows of an import, in their order, with the agency's places and with the rows
 * before them: the same OpenStreetMap element (even a deleted place, which keeps its element),
 * else the nearest live place of the same normalised name within 150 m. A match takes what the
 * row gives and keeps what it leaves empty; a manual place keeps its source. Each row sees what
 * the rows before it did, so a file that names a place twice moves it once, and importing a
 * file twice adds nothing.
 *
 * `stored` must hold every stored place a row could match: those with a row's OSM id, and the
 * live ones of a row's name within 150 m of it. Nothing here reads the database.
 */
export function planPlaceImport<S extends StoredPlace>(
  stored: readonly S[],
  candidates: readonly PlaceCandidate[],
  newId: () => string,
): PlaceImportPlan<S> {
  const byOsmId = new Map<string, Known<S>>();
  const byName = new Map<string, Known<S>[]>();
  const known: Known<S>[] = [];
  const remember = (place: Known<S>) => {
    if (place.fields.osmId) byOsmId.set(place.fields.osmId, place);
    if (place.deleted) return;
    const named = byName.get(place.fields.normalizedName);
    if (named) named.push(place);
    else byName.set(place.fields.normalizedName, [place]);
  };
  const forget = (place: Known<S>) => {
    if (place.fields.osmId && byOsmId.get(place.fields.osmId) === place)
      byOsmId.delete(place.fields.osmId);
    const named = byName.get(place.fields.normalizedName) ?? [];
    const at = named.indexOf(place);
    if (at >= 0) named.splice(at, 1);
  };
  for (const row of stored) {
    const { id, deletedAt, ...rest } = row;
    const fields = Object.fromEntries(mergedKeys.map((key) => [key, rest[key]]));
    const place: Known<S> = {
      id,
      fields: fields as unknown as ImportedPlaceFields,
      stored: row,
      deleted: deletedAt !== null,
      changed: false,
    };
    known.push(place);
    remember(place);
  }

  const nearestNamed = (fields: ImportedPlaceFields): Known<S> | undefined => {
    let nearest: Known<S> | undefined;
    let nearestKm = Number.POSITIVE_INFINITY;
    for (const place of byName.get(fields.normalizedName) ?? []) {
      const km = distanceKm(place.fields, fields);
      if (km <= duplicateRadiusKm && km < nearestKm) {
        nearest = place;
        nearestKm = km;
      }
    }
    return nearest;
  };

  const outcomes: PlaceOutcome[] = [];
  for (const candidate of candidates) {
    const fields = fieldsOf(candidate);
    const match = (fields.osmId ? byOsmId.get(fields.osmId) : undefined) ?? nearestNamed(fields);
    if (!match) {
      const place: Known<S> = { id: newId(), fields, stored: null, deleted: false, changed: true };
      known.push(place);
      remember(place);
      outcomes.push('added');
      continue;
    }
    const given = mergedKeys.filter(
      (key) =>
        fields[key] !== null &&
        !(key === 'source' && match.fields.source === 'manual') &&
        fields[key] !== match.fields[key],
    );
    if (given.length === 0) {
      outcomes.push('unchanged');
      continue;
    }
    forget(match);
    match.fields = {
      ...match.fields,
      ...Object.fromEntries(given.map((key) => [key, fields[key]])),
    };
    match.changed = true;
    remember(match);
    outcomes.push('updated');
  }

  const plan: PlaceImportPlan<S> = { outcomes, inserts: [], updates: [] };
  for (const place of known) {
    if (!place.changed) continue;
    const after = { id: place.id, ...place.fields };
    if (place.stored) plan.updates.push({ before: place.stored, after });
    else plan.inserts.push(after);
  }
  return plan;
}
