import { z } from 'zod';
import { placeKindCodes } from '../catalogues/field.ts';
import { positionSchema, timestampsSchema, versionSchema } from './common.ts';
import { withDefaults } from './defaults.ts';

const optionalText = (max: number) => z.string().trim().max(max).nullable();

/** A place's fields, written once without defaults: an update leaves out what stays. */
const placeFields = {
  kind: z.enum(placeKindCodes),
  name: z.string().trim().min(2).max(200),
  position: positionSchema,
  address: optionalText(300),
  brand: optionalText(100),
  operator: optionalText(100),
  highway: optionalText(40),
  exit: optionalText(20),
};

export const createPlaceSchema = z.object({
  id: z.uuid(),
  ...withDefaults(placeFields, {
    address: null,
    brand: null,
    operator: null,
    highway: null,
    exit: null,
  }),
});

export const updatePlaceSchema = z.object(placeFields).partial().extend({ version: versionSchema });

export const placeSchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    kind: z.enum(placeKindCodes),
    name: z.string(),
    position: positionSchema,
    address: z.string().nullable(),
    brand: z.string().nullable(),
    operator: z.string().nullable(),
    highway: z.string().nullable(),
    exit: z.string().nullable(),
    osmId: z.string().nullable(),
    source: z.enum(['manual', 'csv', 'osm']),
    attribution: z.string().nullable(),
    /** Kilometres from the `near` point, when the list was asked for by distance. */
    distanceKm: z.number().optional(),
  })
  .extend(timestampsSchema.shape)
  .meta({ id: 'Place' });

const nearSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'must be LAT,LON such as 39.0997,-94.5786')
  .transform((value) => {
    const [lat, lon] = value.split(',').map(Number);
    return { lat: lat ?? 0, lon: lon ?? 0 };
  })
  .pipe(positionSchema);

export const listPlacesQuerySchema = z.object({
  near: nearSchema.optional(),
  kind: z.enum(placeKindCodes).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export type CreatePlace = z.infer<typeof createPlaceSchema>;
export type UpdatePlace = z.infer<typeof updatePlaceSchema>;
export type Place = z.infer<typeof placeSchema>;
export type ListPlacesQuery = z.infer<typeof listPlacesQuerySchema>;
