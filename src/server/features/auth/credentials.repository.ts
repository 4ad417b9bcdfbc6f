import { eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { agencies, users } from '#db/schema.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row;
}

/**
 * Counts one more failed sign-in, atomically. A lock that has run out starts the count afresh;
 * the attempt that reaches `threshold` locks the account until `lockedUntil`.
 */
export async function countFailedSignIn(
  db: Executor,
  userId: string,
  threshold: number,
  lockedUntil: Date,
): Promise<{ failedSignIns: number; lockedUntil: Date | null }> {
  const lockExpired = sql`(${users.lockedUntil} is not null and ${users.lockedUntil} <= now())`;
  const nextCount = sql`case when ${lockExpired} then 1 else ${users.failedSignIns} + 1 end`;
  const [row] = await db
    .update(users)
    .set({
      failedSignIns: nextCount,
      lockedUntil: sql`case when ${nextCount} >= ${threshold} then ${lockedUntil.toISOString()}::timestamptz
        when ${lockExpired} then null else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, userId))
    .returning({ failedSignIns: users.failedSignIns, lockedUntil: users.lockedUntil });
  if (!row) throw new Error(`user ${userId} vanished while counting a failed sign-in`);
  return row;
}

export async function recordSuccessfulSignIn(db: Executor, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: sql`now()` })
    .where(eq(users.id, userId));
}

export async function updatePasswordHash(
  db: Executor,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .update(users)
    .set({
      passwordHash,
      version: sql`${users.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId));
}

export async function findUserWithAgency(db: Executor, userId: string) {
  const [row] = await db
    .select({ user: users, agency: agencies })
    .from(users)
    .innerJoin(agencies, eq(agencies.id, users.agencyId))
    .where(eq(users.id, userId));
  return row;
}
