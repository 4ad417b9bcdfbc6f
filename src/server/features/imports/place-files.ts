import { z } from 'zod';
import { type PlaceKind, placeKindCodes } from '#shared/catalogues/field.ts';
import type { FieldError } from '#shared/contracts/problem.ts';
import { readCsvRecords, storableString } from './file-input.ts';
import type { PlaceCandidate } from './place-matching.ts';

/** One row of an import file: the place it describes, or why it cannot be read. */
export type ParsedRow<T> = { row: number; value: T } | { row: number; errors: FieldError[] };

export const osmAttribution = '© OpenStreetMap contributors, ODbL 1.0';

const optional = storableString()
  .trim()
  .max(300)
  .transform((v) => (v === '' ? null : v))
  .optional();

/**
 * Milepost's CSV of places. Header (case-insensitive, any order):
 * `kind,name,lat,lon,address,brand,operator,highway,exit`; kind, name, lat and lon are required.
 */
export const placeCsvRowSchema = z.object({
  kind: z.enum(placeKindCodes),
  name: storableString().trim().min(2).max(200),
  lat: z.coerce.number().min(-90).max(90),
  lon: z.coerce.number().min(-180).max(180),
  address: optional,
  brand: optional,
  operator: optional,
  highway: optional,
  exit: optional,
});

export const placeCsvColumns = Object.keys(placeCsvRowSchema.shape);

export async function* readPlaceCsv(
  input: NodeJS.ReadableStream | string,
): AsyncGenerator<ParsedRow<PlaceCandidate>> {
  let row = 1; // the header is row 1
  const records = readCsvRecords(input, (header) => header.map((h) => h.trim().toLowerCase()));
  for await (const record of records) {
    row += 1;
    const parsed = placeCsvRowSchema.safeParse(record);
    if (!parsed.success) {
      yield {
        row,
        errors: parsed.error.issues.map((i) => ({
          field: String(i.path[0] ?? 'row'),
          message: i.message,
        })),
      };
      continue;
    }
    yield { row, value: { ...parsed.data, source: 'csv' } };
  }
}

const geometrySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('Point'),
    coordinates: z.tuple([z.number(), z.number()]).rest(z.number()),
  }),
  z.object({
    type: z.literal('LineString'),
    coordinates: z.array(z.array(z.number()).min(2)).min(1),
  }),
  z.object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(z.array(z.number()).min(2)).min(1)).min(1),
  }),
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(z.array(z.array(z.number()).min(2)).min(1)).min(1)).min(1),
  }),
]);

const featureSchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).nullable(),
  geometry: geometrySchema.nullable(),
});

export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  /** Overpass Turbo writes the data's licence here. */
  copyright: z.string().optional(),
  features: z.array(z.unknown()),
});

/** What Milepost stores of a place read from OpenStreetMap, held to what a CSV row may hold. */
const osmPlaceSchema = z.object({
  name: storableString().max(200),
  address: storableString().max(300).nullable(),
  brand: storableString().max(300).nullable(),
  operator: storableString().max(300).nullable(),
  highway: storableString().max(300).nullable(),
  exit: storableString().max(300).nullable(),
  attribution: storableString().max(1000).nullable(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

/** What OpenStreetMap's tags make of a place, if it is one Milepost visits. */
export function classifyOsmTags(tags: Record<string, unknown>): PlaceKind | null {
  const name = String(tags.name ?? '');
  if (tags.highway === 'services')
    return /plaza|travel cent(er|re)/i.test(name) ? 'travel_plaza' : 'truck_stop';
  if (tags.amenity === 'fuel' && (tags.hgv === 'yes' || tags.hgv === 'designated'))
    return 'truck_stop';
  if (tags.highway === 'rest_area') return 'rest_area';
  if (tags.amenity === 'weighbridge' || tags.highway === 'weigh_station') return 'weigh_station';
  return null;
}

/** A representative point: the point itself, or the mean of a line's or an area's outer ring. */
function centreOf(geometry: z.infer<typeof geometrySchema>): { lat: number; lon: number } {
  const ring =
    geometry.type === 'Point'
      ? [geometry.coordinates]
      : geometry.type === 'LineString'
        ? geometry.coordinates
        : geometry.type === 'Polygon'
          ? (geometry.coordinates[0] ?? [])
          : (geometry.coordinates[0]?.[0] ?? []);
  const lon = ring.reduce((sum, c) => sum + (c[0] ?? 0), 0) / ring.length;
  const lat = ring.reduce((sum, c) => sum + (c[1] ?? 0), 0) / ring.length;
  return { lat, lon };
}

function addressOf(tags: Record<string, unknown>): string | null {
  const street = [tags['addr:housenumber'], tags['addr:street']].filter(Boolean).join(' ');
  const parts = [
    street,
    tags['addr:city'],
    [tags['addr:state'], tags['addr:postcode']].filter(Boolean).join(' '),
  ];
  const address = parts.filter((p) => typeof p === 'string' && p.trim() !== '').join(', ');
  return address === '' ? null : address;
}

/**
 * An OpenStreetMap GeoJSON export (as Overpass Turbo writes it): nodes and ways of truck stops,
 * travel plazas, truck fuel stations and rest areas. Other features are reported and skipped.
 */
export function* readOsmGeoJson(document: unknown): Generator<ParsedRow<PlaceCandidate>> {
  const collection = featureCollectionSchema.safeParse(document);
  if (!collection.success) {
    yield { row: 0, errors: [{ field: 'file', message: 'is not a GeoJSON FeatureCollection' }] };
    return;
  }
  for (const [index, raw] of collection.data.features.entries()) {
    const row = index + 1;
    const feature = featureSchema.safeParse(raw);
    if (!feature.success || !feature.data.geometry) {
      yield {
        row,
        errors: [{ field: 'geometry', message: 'is missing or not a point, line or area' }],
      };
      continue;
    }
    const tags = feature.data.properties ?? {};
    const osmId = String(tags['@id'] ?? feature.data.id ?? '');
    const isOsmElement = /^(node|way|relation)\/\d+$/.test(osmId);
    const label = isOsmElement ? osmId : 'feature';
    const kind = classifyOsmTags(tags);
    if (!kind) {
      yield {
        row,
        errors: [
          {
            field: 'properties',
            message: `${label} is not a truck stop, travel plaza or rest area`,
          },
        ],
      };
      continue;
    }
    const name = String(tags.name ?? tags.brand ?? tags.operator ?? '').trim();
    if (name.length < 2) {
      yield {
        row,
        errors: [
          {
            field: 'properties.name',
            message: `${label} has no name, brand or operator`,
          },
        ],
      };
      continue;
    }
    const text = (key: string) =>
      typeof tags[key] === 'string' && tags[key] !== '' ? (tags[key] as string) : null;
    const value: PlaceCandidate = {
      kind,
      name,
      ...centreOf(feature.data.geometry),
      address: addressOf(tags),
      brand: text('brand'),
      operator: text('operator'),
      highway: text('ref:highway'),
      exit: text('ref:exit'),
      osmId: isOsmElement ? osmId : null,
      source: 'osm',
      // OSM data is ODbL and keeps its attribution; a file that says otherwise keeps its own.
      attribution: collection.data.copyright ?? (isOsmElement ? osmAttribution : null),
    };
    const stored = osmPlaceSchema.safeParse(value);
    if (!stored.success) {
      yield {
        row,
        errors: stored.error.issues.map((i) => {
          const key = String(i.path[0] ?? 'name');
          return {
            field: key === 'lat' || key === 'lon' ? 'geometry' : `properties.${key}`,
            message: `${label}: ${key === 'lat' || key === 'lon' ? `${key} ` : ''}${i.message}`,
          };
        }),
      };
      continue;
    }
    yield { row, value };
  }
}
