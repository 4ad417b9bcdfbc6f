import type { Database, Executor } from '#db/client.ts';
import { isUniqueViolation } from '#db/errors.ts';
import { inTransaction } from '#db/transaction.ts';
import type {
  CreateUser,
  ListUsersQuery,
  Person,
  UpdateUser,
  User,
} from '#shared/contracts/users.ts';
import { type Role, roleGrants, roleReadsTips, roleSpansAgencies } from '#shared/roles.ts';
import type { Origin, RequestContext } from '../../context.ts';
import { ConflictError, ForbiddenError, findOrFail, NotFoundError } from '../../errors.ts';
import { findAgency } from '../agencies/agencies.repository.ts';
import { requireAgencyAccess } from '../agencies/agencies.service.ts';
import { recordAudit, recordChange } from '../audit/audit.service.ts';
import { endAllSessions } from '../auth/auth.service.ts';
import { assertPasswordAcceptable, hashPassword } from '../auth/passwords.ts';
import {
  findUser,
  insertUser,
  listUserRows,
  type UserRow,
  updateUserAtVersion,
} from './users.repository.ts';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    agencyId: row.agencyId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a user: never the password hash. */
function auditView(user: User) {
  const { createdAt: _createdAt, ...view } = user;
  return view;
}

export async function listUsers(
  db: Executor,
  ctx: RequestContext,
  query: ListUsersQuery,
): Promise<{ items: User[]; nextCursor: string | null }> {
  let agencyId = query.agencyId;
  if (!roleSpansAgencies(ctx.actor.role)) {
    if (agencyId && agencyId !== ctx.actor.agencyId) {
      throw new ForbiddenError('You may list the users of your own agency only.');
    }
    agencyId = ctx.actor.agencyId;
  }
  const rows = await listUserRows(db, {
    agencyId,
    role: query.role,
    active: query.active,
    afterEmail: query.cursor,
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  return {
    items: items.map(toUser),
    nextCursor: rows.length > query.limit ? (items.at(-1)?.email ?? null) : null,
  };
}

export async function getUser(db: Executor, ctx: RequestContext, id: string): Promise<User> {
  const row = findOrFail(await findUser(db, id), 'user', id);
  requireAgencyAccess(ctx, row.agencyId, 'user');
  return toUser(row);
}

/**
 * Refuses a role the actor may not give: an agency administrator gives their agency's roles
 * only, never a platform administrator's or a coordinator's (roleGrants).
 */
function requireGrantable(ctx: RequestContext, role: Role): void {
  if (!roleGrants(ctx.actor.role, role)) {
    throw new ForbiddenError(
      `Only a platform administrator may give the role ${role}: its holder acts beyond one agency.`,
      [{ field: 'role', message: 'is not a role you may give' }],
    );
  }
}

/**
 * Refuses to change a user whose role the actor does not manage: a platform administrator's or a
 * coordinator's account is a platform administrator's to rename, re-role or deactivate, even
 * when its home is the agency.
 */
function requireManageable(ctx: RequestContext, user: UserRow): void {
  if (!roleGrants(ctx.actor.role, user.role)) {
    throw new ForbiddenError(
      `${user.displayName} holds the role ${user.role}, which only a platform administrator manages.`,
    );
  }
}

/** Whether a user, as they stand, may read the agency's tips. */
const readsTips = (user: Pick<User, 'role' | 'active'>) => user.active && roleReadsTips(user.role);

/**
 * Records that a user has come to read the agency's tips (a role that reads them, given at
 * creation, by a role change or by reactivation), as an event of its own in the agency's audit
 * log: who gave it, to whom, and how.
 */
async function recordTipAccessGrant(
  tx: Executor,
  ctx: RequestContext | null,
  origin: Origin,
  grantee: User,
  how: 'created' | 'role_changed' | 'reactivated',
  previousRole: Role | null,
): Promise<void> {
  const granter = ctx ? await findUser(tx, ctx.actor.userId) : undefined;
  await recordAudit(tx, ctx?.actor ?? null, origin, {
    action: 'user.tip_access_granted',
    entityType: 'user',
    entityId: grantee.id,
    agencyId: grantee.agencyId,
    after: {
      grantedTo: {
        userId: grantee.id,
        displayName: grantee.displayName,
        email: grantee.email,
        role: grantee.role,
      },
      grantedBy: granter
        ? { userId: granter.id, displayName: granter.displayName, role: granter.role }
        : { command: 'milepost user create' },
      how,
      previousRole,
    },
  });
}

/**
 * Creates a user. An agency administrator creates in their own agency and gives its roles only;
 * a platform administrator names another agency or gives a platform role (`admin`,
 * `coordinator`). `ctx` is null for the CLI, which runs with the authority of whoever holds the
 * server. A user created with a role that reads tips is a grant, audited as such.
 */
export async function createUser(
  db: Database,
  ctx: RequestContext | null,
  input: CreateUser,
  origin?: Origin,
): Promise<User> {
  const agencyId = input.agencyId ?? ctx?.actor.agencyId;
  if (!agencyId) throw new NotFoundError('agency');
  if (ctx) {
    requireAgencyAccess(ctx, agencyId);
    requireGrantable(ctx, input.role);
  }
  await assertPasswordAcceptable(input.password, 'password', [input.email, input.displayName]);
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(db, async (tx) => {
      findOrFail(await findAgency(tx, agencyId), 'agency', agencyId);
      const user = toUser(
        await insertUser(tx, {
          agencyId,
          email: input.email,
          displayName: input.displayName,
          role: input.role,
          passwordHash,
        }),
      );
      const from = ctx ?? origin ?? noOrigin;
      await recordAudit(tx, ctx?.actor ?? null, from, {
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        agencyId,
        after: auditView(user),
      });
      if (readsTips(user)) await recordTipAccessGrant(tx, ctx, from, user, 'created', null);
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      throw new ConflictError(`A user with the e-mail address ${input.email} already exists.`, [
        { field: 'email', message: 'is already in use' },
      ]);
    }
    throw error;
  }
}

const noOrigin: Origin = { ip: null, userAgent: null, requestId: null };

/**
 * Changes a user's name, role or active flag. The caller names the version they saw; a stale
 * version is refused. Deactivating a user, or changing their role, ends their sessions at once.
 * An agency administrator changes only users of their agency's roles, to their agency's roles;
 * a change that lets the user read tips is audited as a grant of its own.
 */
export async function updateUser(
  db: Database,
  ctx: RequestContext,
  id: string,
  input: UpdateUser,
): Promise<User> {
  const { version, ...changes } = input;
  return inTransaction(db, async (tx) => {
    const current = findOrFail(await findUser(tx, id), 'user', id);
    requireAgencyAccess(ctx, current.agencyId, 'user');
    if (
      id === ctx.actor.userId &&
      (changes.active === false || (changes.role && changes.role !== current.role))
    ) {
      throw new ForbiddenError('You may not deactivate yourself or change your own role.');
    }
    requireManageable(ctx, current);
    if (changes.role !== undefined) requireGrantable(ctx, changes.role);
    const updated = await updateUserAtVersion(tx, id, version, changes);
    if (!updated) {
      throw new ConflictError(
        `The user was changed by someone else since you read it (now at version ${current.version}); reload and try again.`,
        [{ field: 'version', message: `is stale: the current version is ${current.version}` }],
      );
    }
    const roleChanged = changes.role !== undefined && changes.role !== current.role;
    if (changes.active === false || roleChanged) await endAllSessions(tx, id);
    const before = toUser(current);
    const after = toUser(updated);
    await recordChange(tx, ctx, {
      action: changes.active === false && current.active ? 'user.deactivated' : 'user.updated',
      entityType: 'user',
      entityId: id,
      agencyId: current.agencyId,
      before: auditView(before),
      after: auditView(after),
    });
    if (readsTips(after) && !readsTips(before)) {
      const how = roleReadsTips(before.role) ? 'reactivated' : 'role_changed';
      await recordTipAccessGrant(tx, ctx, ctx, after, how, before.role);
    }
    return after;
  });
}

/** The agency's active people, by name, for choosing an officer (no e-mail addresses). */
export async function listPeople(db: Executor, ctx: RequestContext): Promise<Person[]> {
  const rows = await listUserRows(db, {
    agencyId: ctx.actor.agencyId,
    active: true,
    limit: 5000,
  });
  return rows
    .map((u) => ({ id: u.id, agencyId: u.agencyId, displayName: u.displayName, role: u.role }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}
