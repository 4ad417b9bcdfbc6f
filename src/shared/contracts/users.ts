import { z } from 'zod';
import { roles } from '../roles.ts';
import { pageQuerySchema } from './common.ts';

export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());

export const displayNameSchema = z.string().trim().min(1).max(120);

/** A password as it arrives; whether it is strong enough is the server's call (common list). */
export const newPasswordSchema = z.string().min(12, 'must be at least 12 characters').max(200);

export const userSchema = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(roles),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'User' });

export const createUserSchema = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  role: z.enum(roles),
  password: newPasswordSchema,
  /** Only a platform administrator names another agency; everyone else creates in their own. */
  agencyId: z.uuid().optional(),
});

export const updateUserSchema = z
  .object({
    /** The version being changed; a stale one is refused rather than silently overwritten. */
    version: z.number().int().min(1),
    displayName: displayNameSchema.optional(),
    role: z.enum(roles).optional(),
    active: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 1, {
    message: 'name at least one field to change',
  });

export const listUsersQuerySchema = pageQuerySchema.extend({
  agencyId: z.uuid().optional(),
  role: z.enum(roles).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

export type User = z.infer<typeof userSchema>;
export type CreateUser = z.infer<typeof createUserSchema>;
export type UpdateUser = z.infer<typeof updateUserSchema>;
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

/** Who works in the agency, by name: what a supervisor needs to pick an officer. */
export const personSchema = z
  .object({ id: z.uuid(), agencyId: z.uuid(), displayName: z.string(), role: z.enum(roles) })
  .meta({ id: 'Person' });

export type Person = z.infer<typeof personSchema>;
