import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import {
  type CoordinatorInitiative,
  type CoordinatorResults,
  type CreateCoordinatorInitiative,
  type Submission,
  type SubmissionMetric,
  submissionMetrics,
  type UpdateSubmission,
} from '#shared/contracts/coordination.ts';
import type { RequestContext } from '../../context.ts';
import { ConflictError, findOrFail, NotFoundError, ValidationError } from '../../errors.ts';
import { type CsvColumn, csvStream } from '../../records/csv.ts';
import { createOnce, fingerprint, withCreateRetry } from '../../records/idempotency.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { recordChange } from '../audit/audit.service.ts';
import { staleVersion } from '../initiatives/initiatives.service.ts';
import { summarize } from '../summary/summary.service.ts';
import {
  type CoordinatorInitiativeRow,
  findCoordinatorInitiative,
  findSubmission,
  insertCoordinatorInitiative,
  insertSubmissionUnlessPresent,
  listCoordinatorInitiativeRows,
  listSubmissions,
  type SubmissionRow,
  updateSubmissionAtVersion,
} from './coordination.repository.ts';

type Counts = Record<SubmissionMetric, number>;

function present(row: CoordinatorInitiativeRow, joined: boolean): CoordinatorInitiative {
  return {
    id: row.id,
    agencyId: row.agencyId,
    coordinator: row.coordinator,
    name: row.name,
    description: row.description,
    windows: row.windows,
    joined,
    createdAt: row.createdAt.toISOString(),
  };
}

function countsOf(stored: Record<string, number>): Counts {
  return Object.fromEntries(submissionMetrics.map((m) => [m.key, stored[m.key] ?? 0])) as Counts;
}

function presentSubmission(row: SubmissionRow): Submission {
  return {
    id: row.id,
    coordinatorInitiativeId: row.coordinatorInitiativeId,
    agencyId: row.agencyId,
    agencyName: row.agencyName,
    status: row.status,
    jurisdiction: row.jurisdiction,
    personnel: row.personnel,
    counts: countsOf(row.counts),
    narrative: row.narrative,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    revision: row.revision,
    version: row.version,
  };
}

/** Publishes a coordinator initiative: its dates in each country. A replay changes nothing. */
export async function createCoordinatorInitiative(
  db: Database,
  ctx: RequestContext,
  input: CreateCoordinatorInitiative,
): Promise<{ initiative: CoordinatorInitiative; created: boolean }> {
  const hash = fingerprint(input);
  return withCreateRetry(() =>
    inTransaction(db, async (tx) => {
      const { record, created } = await createOnce({
        entity: 'coordinator initiative',
        agencyId: ctx.actor.agencyId,
        hash,
        find: () => findCoordinatorInitiative(tx, input.id),
        insert: async () => {
          await insertCoordinatorInitiative(tx, {
            ...input,
            agencyId: ctx.actor.agencyId,
            createdBy: ctx.actor.userId,
            requestHash: hash,
          });
          return findOrFail(await findCoordinatorInitiative(tx, input.id), 'initiative', input.id);
        },
      });
      const initiative = present(record, false);
      if (created) {
        await recordChange(tx, ctx, {
          action: 'coordinator_initiative.published',
          entityType: 'coordinator_initiative',
          entityId: record.id,
          agencyId: ctx.actor.agencyId,
          after: initiative,
        });
      }
      return { initiative, created };
    }),
  );
}

/** Every published coordinator initiative, each saying whether the caller's agency joined. */
export async function listCoordinatorInitiatives(
  db: Executor,
  ctx: RequestContext,
): Promise<CoordinatorInitiative[]> {
  const rows = await listCoordinatorInitiativeRows(db, ctx.actor.agencyId);
  return rows.map((row) => present(row, Boolean(row.joined)));
}

async function requirePublished(db: Executor, id: string): Promise<CoordinatorInitiativeRow> {
  return findOrFail(await findCoordinatorInitiative(db, id), 'coordinator initiative', id);
}

/** The coordinator's own initiative; another body's does not exist to them. */
async function requireOwn(db: Executor, ctx: RequestContext, id: string) {
  const initiative = await requirePublished(db, id);
  if (initiative.agencyId !== ctx.actor.agencyId)
    throw new NotFoundError('coordinator initiative', id);
  return initiative;
}

export async function getCoordinatorInitiative(
  db: Executor,
  ctx: RequestContext,
  id: string,
): Promise<CoordinatorInitiative> {
  const initiative = await requirePublished(db, id);
  const joined = await findSubmission(db, id, ctx.actor.agencyId);
  return present(initiative, joined !== undefined);
}

/** What the agency's records say for the initiative's dates in its country. */
async function countsFromRecords(
  db: Executor,
  initiative: CoordinatorInitiativeRow,
  agencyId: string,
): Promise<{ personnel: number; counts: Counts }> {
  const agency = findOrFail(await findAgency(db, agencyId), 'agency', agencyId);
  const window = initiative.windows.find((w) => w.country === agency.country);
  if (!window) {
    throw ValidationError.field(
      'windows',
      `the initiative has no dates for ${agency.country}, the agency's country`,
    );
  }
  const summary = await summarize(db, { agencyId, from: window.startsOn, to: window.endsOn });
  return { personnel: summary.byOfficer.length, counts: countsOf(summary.totals) };
}

/**
 * The agency joins: a draft submission, prefilled from its records for the initiative's dates
 * in its country. Joining again changes nothing.
 */
export async function joinCoordinatorInitiative(
  db: Database,
  ctx: RequestContext,
  id: string,
): Promise<{ submission: Submission; created: boolean }> {
  return inTransaction(db, async (tx) => {
    const initiative = await requirePublished(tx, id);
    const agencyId = ctx.actor.agencyId;
    const agency = findOrFail(await findAgency(tx, agencyId), 'agency', agencyId);
    const prefill = await countsFromRecords(tx, initiative, agencyId);
    const created = await insertSubmissionUnlessPresent(tx, {
      coordinatorInitiativeId: id,
      agencyId,
      jurisdiction: agency.region
        ? `${agency.name} (${agency.country}-${agency.region})`
        : agency.name,
      ...prefill,
    });
    const row = findOrFail(await findSubmission(tx, id, agencyId), 'submission', id);
    const submission = presentSubmission(row);
    if (created) {
      await recordChange(tx, ctx, {
        action: 'submission.joined',
        entityType: 'submission',
        entityId: row.id,
        agencyId,
        after: submission,
      });
    }
    return { submission, created };
  });
}

async function requireOwnSubmission(db: Executor, ctx: RequestContext, id: string, lock = false) {
  await requirePublished(db, id);
  const row = await findSubmission(db, id, ctx.actor.agencyId, lock);
  if (!row) throw new NotFoundError('submission of your agency for initiative', id);
  return row;
}

/** The agency's submission, with what its records say now beside it. */
export async function getOwnSubmission(
  db: Executor,
  ctx: RequestContext,
  id: string,
): Promise<Submission> {
  const row = await requireOwnSubmission(db, ctx, id);
  const initiative = await requirePublished(db, id);
  return {
    ...presentSubmission(row),
    fromRecords: await countsFromRecords(db, initiative, ctx.actor.agencyId),
  };
}

/** Changes a draft (or a submission the coordinator reopened); a submitted one is locked. */
export async function updateOwnSubmission(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateSubmission,
): Promise<Submission> {
  return inTransaction(db, async (tx) => {
    const current = await requireOwnSubmission(tx, ctx, id, true);
    if (current.status === 'submitted') {
      throw new ConflictError(
        'The submission is locked: it was submitted. The coordinator may reopen it for a revision.',
      );
    }
    const { version, counts, ...rest } = input;
    const updated = await updateSubmissionAtVersion(tx, current.id, version, {
      ...rest,
      ...(counts ? { counts: { ...countsOf(current.counts), ...counts } } : {}),
    });
    if (!updated) throw staleVersion('submission', current.version);
    const after = presentSubmission({ ...updated, agencyName: current.agencyName });
    await recordChange(tx, ctx, {
      action: 'submission.updated',
      entityType: 'submission',
      entityId: current.id,
      agencyId: ctx.actor.agencyId,
      before: presentSubmission(current),
      after,
    });
    return after;
  });
}

/** Submits the agency's counts: they are locked and count toward the coordinator's totals. */
export async function submitOwnSubmission(
  db: Database,
  ctx: RequestContext,
  id: string,
  version: number,
): Promise<Submission> {
  return inTransaction(db, async (tx) => {
    const current = await requireOwnSubmission(tx, ctx, id, true);
    if (current.status === 'submitted')
      throw new ConflictError('The submission is already submitted.');
    const updated = await updateSubmissionAtVersion(tx, current.id, version, {
      status: 'submitted',
      submittedAt: new Date(),
      submittedBy: ctx.actor.userId,
    });
    if (!updated) throw staleVersion('submission', current.version);
    const after = presentSubmission({ ...updated, agencyName: current.agencyName });
    await recordChange(tx, ctx, {
      action: 'submission.submitted',
      entityType: 'submission',
      entityId: current.id,
      agencyId: ctx.actor.agencyId,
      after,
    });
    return after;
  });
}

/** The coordinator reopens an agency's submission for a revision, saying what to revise. */
export async function requestRevision(
  db: Database,
  ctx: RequestContext,
  id: string,
  agencyId: string,
  reason: string,
): Promise<Submission> {
  return inTransaction(db, async (tx) => {
    await requireOwn(tx, ctx, id);
    const current = await findSubmission(tx, id, agencyId, true);
    if (!current) throw new NotFoundError('submission of agency', agencyId);
    if (current.status !== 'submitted') {
      throw new ConflictError('Only a submitted submission can be reopened for a revision.');
    }
    const updated = await updateSubmissionAtVersion(tx, current.id, current.version, {
      status: 'revision_requested',
      revision: current.revision + 1,
    });
    if (!updated) throw staleVersion('submission', current.version);
    const after = presentSubmission({ ...updated, agencyName: current.agencyName });
    await recordChange(tx, ctx, {
      action: 'submission.revision_requested',
      entityType: 'submission',
      entityId: current.id,
      // Both sides see it: the coordinator's log and the agency's.
      agencyId: current.agencyId,
      before: { status: current.status, revision: current.revision },
      after: { status: after.status, revision: after.revision, reason },
    });
    return after;
  });
}

/** The agency that publishes the coordinator initiative `id`, if `id` names one. */
export async function coordinatingAgencyOf(db: Executor, id: string): Promise<string | undefined> {
  return (await findCoordinatorInitiative(db, id))?.agencyId;
}

/**
 * The coordinator's view: each agency that joined, with its status and counts, and the totals
 * of the submitted ones. Counts only: no record, officer or place of any agency.
 */
export async function coordinatorResults(
  db: Executor,
  ctx: RequestContext,
  id: string,
): Promise<CoordinatorResults> {
  const initiative = await requireOwn(db, ctx, id);
  const rows = (await listSubmissions(db, id)).map(presentSubmission);
  const submitted = rows.filter((r) => r.status === 'submitted');
  const counts = countsOf({});
  for (const r of submitted) for (const m of submissionMetrics) counts[m.key] += r.counts[m.key];
  return {
    initiative: present(initiative, false),
    agencies: rows,
    totals: {
      jurisdictions: submitted.length,
      personnel: submitted.reduce((sum, r) => sum + r.personnel, 0),
      counts,
    },
  };
}

type ResultRow = { jurisdiction: string; agency: string; personnel: number; counts: Counts };

/**
 * The submitted counts as CSV, one jurisdiction a row and the total last, in the columns the
 * published initiative results use.
 */
export function resultsCsv(results: CoordinatorResults) {
  const rows: ResultRow[] = results.agencies
    .filter((a) => a.status === 'submitted')
    .map((a) => ({
      jurisdiction: a.jurisdiction,
      agency: a.agencyName,
      personnel: a.personnel,
      counts: a.counts,
    }));
  rows.push({
    jurisdiction: `Total (${results.totals.jurisdictions} jurisdictions)`,
    agency: '',
    personnel: results.totals.personnel,
    counts: results.totals.counts,
  });
  const columns: CsvColumn<ResultRow>[] = [
    { header: 'jurisdiction', value: (r) => r.jurisdiction },
    { header: 'agency', value: (r) => r.agency },
    { header: 'enforcement_personnel', value: (r) => r.personnel },
    ...submissionMetrics.map((m) => ({ header: m.key, value: (r: ResultRow) => r.counts[m.key] })),
  ];
  return csvStream(
    columns,
    (async function* () {
      yield* rows;
    })(),
  );
}
