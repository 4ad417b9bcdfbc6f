import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '#db/client.ts';
import { preparedQuery } from '#db/prepared.ts';
import { sessions, users } from '#db/schema.ts';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(
  db: Executor,
  row: typeof sessions.$inferInsert,
): Promise<void> {
  await db.insert(sessions).values(row);
}

const findSessionQuery = preparedQuery((db) =>
  db
    .select({
      session: sessions,
      user: {
        id: users.id,
        agencyId: users.agencyId,
        role: users.role,
        active: users.active,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('milepost_find_session'),
);

/** The session with its user, or nothing. Expiry is the service's call. */
export async function findSession(db: Database, id: string) {
  const [row] = await findSessionQuery(db).execute({ id });
  return row;
}

export async function touchSession(db: Executor, id: string): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of a user, but the one named in `except` if any. */
export async function deleteSessionsOfUser(
  db: Executor,
  userId: string,
  except?: string,
): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), except ? ne(sessions.id, except) : undefined))
    .returning({ id: sessions.id });
  return deleted.length;
}

/** Removes sessions past their absolute lifetime or idle for longer than `idleSeconds`. */
export async function deleteStaleSessions(db: Executor, idleSeconds: number): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(
      or(
        lt(sessions.expiresAt, sql`now()`),
        lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleSeconds})`),
      ),
    )
    .returning({ id: sessions.id });
  return deleted.length;
}
