import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { users } from '#db/schema.ts';
import type { Role } from '#shared/roles.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUser(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export interface UserFilter {
  agencyId?: string | undefined;
  role?: Role | undefined;
  active?: boolean | undefined;
  afterEmail?: string | undefined;
  limit: number;
}

export function listUserRows(db: Executor, filter: UserFilter): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(
      and(
        filter.agencyId ? eq(users.agencyId, filter.agencyId) : undefined,
        filter.role ? eq(users.role, filter.role) : undefined,
        filter.active !== undefined ? eq(users.active, filter.active) : undefined,
        filter.afterEmail ? gt(users.email, filter.afterEmail) : undefined,
      ),
    )
    .orderBy(asc(users.email))
    .limit(filter.limit);
}

export async function insertUser(db: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await db.insert(users).values(row).returning();
  if (!created) throw new Error('insert into users returned no row');
  return created;
}

/** Applies `changes` only if the row is still at `version`; returns nothing when it is not. */
export async function updateUserAtVersion(
  db: Executor,
  id: string,
  version: number,
  changes: Partial<Pick<UserRow, 'displayName' | 'role' | 'active'>>,
): Promise<UserRow | undefined> {
  const [updated] = await db
    .update(users)
    .set({ ...changes, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .returning();
  return updated;
}
