import { z } from 'zod';
import { roles } from '../roles.ts';
import { agencySchema } from './agencies.ts';

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(200),
});

export const meSchema = z
  .object({
    user: z.object({
      id: z.uuid(),
      email: z.string(),
      displayName: z.string(),
      role: z.enum(roles),
    }),
    agency: agencySchema.pick({
      id: true,
      slug: true,
      name: true,
      kind: true,
      country: true,
      region: true,
      timeZone: true,
    }),
    session: z.object({
      idleTimeoutSeconds: z.number().int(),
      expiresAt: z.iso.datetime({ offset: true }),
    }),
  })
  .meta({ id: 'Me' });

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(12, 'must be at least 12 characters').max(200),
});

export type Login = z.infer<typeof loginSchema>;
export type Me = z.infer<typeof meSchema>;
export type ChangePassword = z.infer<typeof changePasswordSchema>;
