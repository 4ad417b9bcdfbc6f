import { randomUUID } from 'node:crypto';
import type { Database } from '#db/client.ts';
import { agencies, users } from '#db/schema.ts';
import { hashPassword } from '#server/features/auth/passwords.ts';
import type { Role } from '#shared/roles.ts';

export const testPassword = 'tangerine-hollow-ferry-41';

/** One argon2 hash for every factory user: hashing is slow by design. */
let sharedHash: Promise<string> | undefined;

export async function newAgency(
  db: Database,
  overrides: Partial<typeof agencies.$inferInsert> = {},
) {
  const suffix = randomUUID().slice(0, 8);
  const [row] = await db
    .insert(agencies)
    .values({
      slug: `agency-${suffix}`,
      name: `Test Agency ${suffix}`,
      country: 'US',
      region: 'MO',
      timeZone: 'America/Chicago',
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no agency row');
  return row;
}

export async function newUser(
  db: Database,
  agencyId: string,
  overrides: Partial<Omit<typeof users.$inferInsert, 'agencyId'>> & { role?: Role } = {},
) {
  sharedHash ??= hashPassword(testPassword);
  const [row] = await db
    .insert(users)
    .values({
      agencyId,
      email: `${overrides.role ?? 'officer'}-${randomUUID().slice(0, 8)}@example.test`,
      displayName: 'Test Person',
      role: 'officer',
      passwordHash: await sharedHash,
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no user row');
  return row;
}
