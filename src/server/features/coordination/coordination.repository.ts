import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { agencies, coordinatorInitiatives, submissions } from '#db/schema.ts';

export type CoordinatorInitiativeRow = typeof coordinatorInitiatives.$inferSelect & {
  coordinator: string;
};
export type SubmissionRow = typeof submissions.$inferSelect & { agencyName: string };

const initiativeColumns = {
  id: coordinatorInitiatives.id,
  agencyId: coordinatorInitiatives.agencyId,
  name: coordinatorInitiatives.name,
  description: coordinatorInitiatives.description,
  windows: coordinatorInitiatives.windows,
  createdBy: coordinatorInitiatives.createdBy,
  requestHash: coordinatorInitiatives.requestHash,
  createdAt: coordinatorInitiatives.createdAt,
  coordinator: agencies.name,
};

export async function insertCoordinatorInitiative(
  db: Executor,
  row: typeof coordinatorInitiatives.$inferInsert,
): Promise<void> {
  await db.insert(coordinatorInitiatives).values(row);
}

export async function findCoordinatorInitiative(
  db: Executor,
  id: string,
): Promise<CoordinatorInitiativeRow | undefined> {
  const [row] = await db
    .select(initiativeColumns)
    .from(coordinatorInitiatives)
    .innerJoin(agencies, eq(agencies.id, coordinatorInitiatives.agencyId))
    .where(eq(coordinatorInitiatives.id, id));
  return row;
}

/** Every published coordinator initiative, newest first, and whether `agencyId` joined it. */
export function listCoordinatorInitiativeRows(db: Executor, agencyId: string) {
  return db
    .select({
      ...initiativeColumns,
      joined: sql<boolean>`exists (select 1 from ${submissions} s
        where s.coordinator_initiative_id = ${coordinatorInitiatives.id} and s.agency_id = ${agencyId})`,
    })
    .from(coordinatorInitiatives)
    .innerJoin(agencies, eq(agencies.id, coordinatorInitiatives.agencyId))
    .orderBy(desc(coordinatorInitiatives.createdAt))
    .limit(200);
}

const submissionColumns = { submission: submissions, agencyName: agencies.name };

export async function findSubmission(
  db: Executor,
  coordinatorInitiativeId: string,
  agencyId: string,
  lock = false,
): Promise<SubmissionRow | undefined> {
  const query = db
    .select(submissionColumns)
    .from(submissions)
    .innerJoin(agencies, eq(agencies.id, submissions.agencyId))
    .where(
      and(
        eq(submissions.coordinatorInitiativeId, coordinatorInitiativeId),
        eq(submissions.agencyId, agencyId),
      ),
    );
  const [row] = lock ? await query.for('update', { of: submissions }) : await query;
  return row && { ...row.submission, agencyName: row.agencyName };
}

export async function listSubmissions(
  db: Executor,
  coordinatorInitiativeId: string,
): Promise<SubmissionRow[]> {
  const rows = await db
    .select(submissionColumns)
    .from(submissions)
    .innerJoin(agencies, eq(agencies.id, submissions.agencyId))
    .where(eq(submissions.coordinatorInitiativeId, coordinatorInitiativeId))
    .orderBy(asc(agencies.name));
  return rows.map((r) => ({ ...r.submission, agencyName: r.agencyName }));
}

/** Adds the agency's draft unless it has one; whether it was added. */
export async function insertSubmissionUnlessPresent(
  db: Executor,
  row: typeof submissions.$inferInsert,
): Promise<boolean> {
  const added = await db
    .insert(submissions)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: submissions.id });
  return added.length > 0;
}

/** Applies `changes` at `version`; undefined when the row has moved on. */
export async function updateSubmissionAtVersion(
  db: Executor,
  id: string,
  version: number,
  changes: Partial<typeof submissions.$inferInsert>,
) {
  const [row] = await db
    .update(submissions)
    .set({ ...changes, version: sql`${submissions.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(submissions.id, id), eq(submissions.version, version)))
    .returning();
  return row;
}
