import { createHash, randomBytes } from 'node:crypto';
import type { Database, Executor } from '#db/client.ts';
import { inTransaction } from '#db/transaction.ts';
import type { ChangePassword, Login, Me } from '#shared/contracts/auth.ts';
import type { Config } from '../../config.ts';
import type { Actor, Origin, RequestContext } from '../../context.ts';
import { LockedError, UnauthorizedError, ValidationError } from '../../errors.ts';
import { recordAudit, recordChange } from '../audit/audit.service.ts';
import {
  countFailedSignIn,
  findUserByEmail,
  findUserWithAgency,
  recordSuccessfulSignIn,
  updatePasswordHash,
} from './credentials.repository.ts';
import {
  assertPasswordAcceptable,
  hashPassword,
  verifyDecoy,
  verifyPassword,
} from './passwords.ts';
import {
  deleteSession,
  deleteSessionsOfUser,
  findSession,
  insertSession,
  touchSession,
} from './sessions.repository.ts';

/** Consecutive failed sign-ins that lock an account, and for how long. */
export const lockout = { threshold: 5, minutes: 15 } as const;

/** A session's last-seen time is written at most this often, not on every request. */
const touchIntervalMs = 60_000;

const wrongCredentials = 'The e-mail address or the password is wrong.';

export type SessionPolicy = Config['sessions'];

export interface SignedIn {
  token: string;
  actor: Actor;
  expiresAt: Date;
}

/** The cookie carries a random token; the database keeps only its hash. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function signIn(
  db: Database,
  policy: SessionPolicy,
  credentials: Login,
  origin: Origin,
  previousToken?: string,
): Promise<SignedIn> {
  const user = await findUserByEmail(db, credentials.email);
  const audit = (action: string, agencyId: string | null, after?: unknown) =>
    recordAudit(db, user ? { userId: user.id } : null, origin, {
      action,
      entityType: 'user',
      entityId: user?.id ?? null,
      agencyId,
      after,
    });

  if (!user) {
    await verifyDecoy(credentials.password);
    await audit('auth.sign_in_failed', null, { email: credentials.email, reason: 'unknown_email' });
    throw new UnauthorizedError(wrongCredentials);
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await audit('auth.sign_in_refused', user.agencyId, { reason: 'locked' });
    throw lockedError(user.lockedUntil);
  }
  if (!(await verifyPassword(user.passwordHash, credentials.password))) {
    const lockUntil = new Date(Date.now() + lockout.minutes * 60_000);
    const result = await inTransaction(db, async (tx) => {
      const counted = await countFailedSignIn(tx, user.id, lockout.threshold, lockUntil);
      await recordAudit(tx, { userId: user.id }, origin, {
        action: 'auth.sign_in_failed',
        entityType: 'user',
        entityId: user.id,
        agencyId: user.agencyId,
        after: { reason: 'wrong_password', consecutiveFailures: counted.failedSignIns },
      });
      if (counted.failedSignIns >= lockout.threshold && counted.lockedUntil) {
        await recordAudit(tx, { userId: user.id }, origin, {
          action: 'auth.account_locked',
          entityType: 'user',
          entityId: user.id,
          agencyId: user.agencyId,
          after: {
            lockedUntil: counted.lockedUntil.toISOString(),
            failures: counted.failedSignIns,
          },
        });
      }
      return counted;
    });
    if (result.lockedUntil && result.lockedUntil > new Date())
      throw lockedError(result.lockedUntil);
    throw new UnauthorizedError(wrongCredentials);
  }
  if (!user.active) {
    await audit('auth.sign_in_refused', user.agencyId, { reason: 'deactivated' });
    throw new UnauthorizedError(wrongCredentials);
  }

  const token = randomBytes(32).toString('base64url');
  const sessionId = sessionIdOf(token);
  const expiresAt = new Date(Date.now() + policy.maxLifetimeSeconds * 1000);
  await inTransaction(db, async (tx) => {
    // A fresh id at every sign-in: a session id planted before sign-in is worth nothing after.
    if (previousToken) await deleteSession(tx, sessionIdOf(previousToken));
    await recordSuccessfulSignIn(tx, user.id);
    await insertSession(tx, {
      id: sessionId,
      userId: user.id,
      expiresAt,
      ip: origin.ip,
      userAgent: origin.userAgent?.slice(0, 400) ?? null,
    });
    await recordAudit(tx, { userId: user.id }, origin, {
      action: 'auth.signed_in',
      entityType: 'user',
      entityId: user.id,
      agencyId: user.agencyId,
    });
  });
  return {
    token,
    expiresAt,
    actor: { userId: user.id, agencyId: user.agencyId, role: user.role, sessionId },
  };
}

function lockedError(until: Date): LockedError {
  return new LockedError(
    `Too many failed sign-ins: this account is locked until ${until.toISOString()}. ` +
      'Try again later, or ask your agency administrator.',
    until,
  );
}

export async function signOut(db: Database, ctx: RequestContext): Promise<void> {
  await inTransaction(db, async (tx) => {
    await deleteSession(tx, ctx.actor.sessionId);
    await recordChange(tx, ctx, {
      action: 'auth.signed_out',
      entityType: 'user',
      entityId: ctx.actor.userId,
      agencyId: ctx.actor.agencyId,
    });
  });
}

/**
 * The actor behind a session token, or null when there is no such session, it has passed its
 * idle timeout or absolute lifetime, or its user has been deactivated.
 */
export async function authenticate(
  db: Database,
  policy: SessionPolicy,
  token: string,
): Promise<{ actor: Actor; expiresAt: Date } | null> {
  const sessionId = sessionIdOf(token);
  const found = await findSession(db, sessionId);
  if (!found) return null;
  const now = Date.now();
  const { session, user } = found;
  const idleSince = now - session.lastSeenAt.getTime();
  if (
    !user.active ||
    session.expiresAt.getTime() <= now ||
    idleSince > policy.idleTimeoutSeconds * 1000
  ) {
    await deleteSession(db, sessionId);
    return null;
  }
  if (idleSince > touchIntervalMs) await touchSession(db, sessionId);
  return {
    actor: { userId: user.id, agencyId: user.agencyId, role: user.role, sessionId },
    expiresAt: session.expiresAt,
  };
}

export async function describeMe(
  db: Database,
  policy: SessionPolicy,
  ctx: RequestContext,
  expiresAt: Date,
): Promise<Me> {
  const found = await findUserWithAgency(db, ctx.actor.userId);
  if (!found) throw new UnauthorizedError('The session no longer has a user.');
  const { user, agency } = found;
  return {
    user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role },
    agency: {
      id: agency.id,
      slug: agency.slug,
      name: agency.name,
      kind: agency.kind,
      country: agency.country,
      region: agency.region,
      timeZone: agency.timeZone,
    },
    session: { idleTimeoutSeconds: policy.idleTimeoutSeconds, expiresAt: expiresAt.toISOString() },
  };
}

/** Changes one's own password; every other session of the user ends. */
export async function changeOwnPassword(
  db: Database,
  ctx: RequestContext,
  input: ChangePassword,
): Promise<void> {
  const found = await findUserWithAgency(db, ctx.actor.userId);
  if (!found) throw new UnauthorizedError('The session no longer has a user.');
  if (!(await verifyPassword(found.user.passwordHash, input.currentPassword))) {
    throw ValidationError.field('currentPassword', 'is not your current password');
  }
  await assertPasswordAcceptable(input.newPassword, 'newPassword', [
    found.user.email,
    found.user.displayName,
  ]);
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(db, async (tx) => {
    await updatePasswordHash(tx, ctx.actor.userId, passwordHash);
    const ended = await deleteSessionsOfUser(tx, ctx.actor.userId, ctx.actor.sessionId);
    await recordChange(tx, ctx, {
      action: 'user.password_changed',
      entityType: 'user',
      entityId: ctx.actor.userId,
      agencyId: ctx.actor.agencyId,
      after: { otherSessionsEnded: ended },
    });
  });
}

/** Ends every session of a user at once (deactivation, a role change). */
export async function endAllSessions(tx: Executor, userId: string): Promise<number> {
  return deleteSessionsOfUser(tx, userId);
}
