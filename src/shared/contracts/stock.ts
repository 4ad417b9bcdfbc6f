import { z } from 'zod';
import { materialKindCodes } from '../catalogues/field.ts';
import { timestampsSchema } from './common.ts';

export const createMaterialSchema = z.object({
  id: z.uuid(),
  kind: z.enum(materialKindCodes),
  name: z.string().trim().min(2).max(200),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en, es or fr-CA'),
  provider: z.string().trim().min(2).max(200),
  code: z.string().trim().max(60).nullable().default(null),
});

export const materialSchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    kind: z.enum(materialKindCodes),
    name: z.string(),
    language: z.string(),
    provider: z.string(),
    code: z.string().nullable(),
  })
  .extend(timestampsSchema.shape)
  .meta({ id: 'Material' });

export const movementTypes = ['received', 'issued', 'returned', 'written_off'] as const;

export const createStockMovementSchema = z
  .object({
    id: z.uuid(),
    materialId: z.uuid(),
    type: z.enum(movementTypes),
    quantity: z.number().int().min(1).max(1_000_000),
    /** The officer issued to, returning, or writing off; none for the store. */
    officerId: z.uuid().nullable().default(null),
    note: z.string().trim().max(1000).nullable().default(null),
  })
  .refine((m) => m.type === 'received' || m.type === 'written_off' || m.officerId !== null, {
    path: ['officerId'],
    message: 'name the officer for an issue or a return',
  })
  .refine((m) => m.type !== 'received' || m.officerId === null, {
    path: ['officerId'],
    message: 'a delivery goes into the agency store, not to an officer',
  });

export const stockMovementSchema = z
  .object({
    id: z.uuid(),
    materialId: z.uuid(),
    type: z.enum(movementTypes),
    quantity: z.number().int(),
    officerId: z.uuid().nullable(),
    note: z.string().nullable(),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'StockMovement' });

export const stockHoldingSchema = z.object({
  materialId: z.uuid(),
  materialName: z.string(),
  kind: z.enum(materialKindCodes),
  language: z.string(),
  /** The officer holding it; null for the agency store. */
  holderId: z.uuid().nullable(),
  holderName: z.string().nullable(),
  onHand: z.number().int(),
});

export const stockQuerySchema = z.object({
  holderId: z.uuid().optional(),
  materialId: z.uuid().optional(),
});

export const shortfallSchema = z.object({
  id: z.string(),
  materialId: z.uuid(),
  officerId: z.uuid().nullable(),
  recordId: z.uuid(),
  quantity: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
});

export type CreateMaterial = z.infer<typeof createMaterialSchema>;
export type Material = z.infer<typeof materialSchema>;
export type CreateStockMovement = z.infer<typeof createStockMovementSchema>;
export type StockMovement = z.infer<typeof stockMovementSchema>;
export type StockHolding = z.infer<typeof stockHoldingSchema>;
export type Shortfall = z.infer<typeof shortfallSchema>;
