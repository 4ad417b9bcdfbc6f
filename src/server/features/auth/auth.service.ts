import { createHash, randomBytes } from 'node:crypto';
import type { Database, Executor } from '#db/client.ts';
import { classifyStorageError } from '#db/errors.ts';
import { inTransaction } from '#db/transaction.ts';
import type { ChangePassword, Login, Me } from '#shared/contracts/auth.ts';
import type { Config, SignInThrottlePolicy } from '../../config.ts';
import type { Actor, Origin, RequestContext } from '../../context.ts';
import {
  LockedError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../errors.ts';
import { recordAudit, recordChange } from '../audit/audit.service.ts';
import {
  findUserByEmail,
  findUserWithAgency,
  recordSuccessfulSignIn,
  type UserRow,
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
import type { SignInClient, SignInThrottle, ThrottleKey } from './sign-in-throttle.ts';
import {
  countAttempt,
  deleteForgottenThrottles,
  findActiveBlocks,
  releaseAttempt,
  type ThrottleState,
} from './throttles.repository.ts';

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

/** What an attempt to prove a password is checked with: the session policy and the throttle. */
export interface SignInGuard {
  sessions: SessionPolicy;
  throttle: SignInThrottle;
}

/** Who an audit entry of an attempt is about: the account, or the e-mail address typed. */
interface AttemptSubject {
  actor: { userId: string } | null;
  entityId: string | null;
  agencyId: string | null;
  /** What the entry adds about an e-mail address no account has. */
  detail: Record<string, unknown>;
}

function subjectOf(user: UserRow | undefined, email: string): AttemptSubject {
  return user
    ? { actor: { userId: user.id }, entityId: user.id, agencyId: user.agencyId, detail: {} }
    : { actor: null, entityId: null, agencyId: null, detail: { email } };
}

function auditAttempt(
  tx: Executor,
  subject: AttemptSubject,
  origin: Origin,
  action: string,
  after: Record<string, unknown>,
): Promise<void> {
  return recordAudit(tx, subject.actor, origin, {
    action,
    entityType: 'user',
    entityId: subject.entityId,
    agencyId: subject.agencyId,
    after: { ...subject.detail, ...after },
  });
}

/** Raised inside the counting transaction to undo it: a counter blocks the attempt. */
class AttemptBlocked extends Error {}

/**
 * Counts an attempt before its password is checked, so that attempts sent at once cannot all
 * slip under a threshold; unless a lock (423) or a pause (429) holds it back, and then nothing
 * is counted and no password checked. Answers what was counted, for the audit of a failure and
 * for releaseAttempt after a success.
 */
async function reserveAttempt(
  db: Database,
  throttle: SignInThrottle,
  email: string,
  client: SignInClient,
  refused: (after: Record<string, unknown>) => Promise<void>,
): Promise<{ keys: ThrottleKey[]; counted: ThrottleState[] }> {
  const device = throttle.trustedDevice(email, client.deviceCookie);
  const keys = throttle.keysFor(email, client, device);
  try {
    const counted = await inTransaction(db, async (tx) => {
      const rows = await countAttempt(tx, keys, throttle.policy);
      if (rows.length < keys.length) throw new AttemptBlocked();
      return rows;
    });
    return { keys, counted };
  } catch (error) {
    if (!(error instanceof AttemptBlocked)) throw error;
  }
  const blocks = await findActiveBlocks(
    db,
    keys.map((k) => k.key),
  );
  const lock = blocks.find((b) => b.kind === 'pair');
  if (lock?.blockedUntil) {
    await refused({ reason: 'locked', client: device ? 'device' : 'address' });
    throw lockedError(lock.blockedUntil);
  }
  const pause = blocks.sort((a, b) => Number(b.blockedUntil) - Number(a.blockedUntil))[0];
  await refused({ reason: 'slowed', by: pause?.kind ?? 'account' });
  // A pause that ran out between the count and this read: a second is the least to wait.
  throw slowedError(pause?.blockedUntil ?? new Date(Date.now() + 1000));
}

/**
 * Audits a failed attempt (`action`), with the lock or pause its count brought on; answers the
 * lock of the pair, when this attempt locked it.
 */
async function auditFailedAttempt(
  db: Database,
  policy: SignInThrottlePolicy,
  counted: ThrottleState[],
  audit: (tx: Executor, action: string, after: Record<string, unknown>) => Promise<void>,
  action: string,
  reason: string,
): Promise<Date | null> {
  const pair = counted.find((c) => c.kind === 'pair');
  await inTransaction(db, async (tx) => {
    await audit(tx, action, { reason, consecutiveFailures: pair?.failures ?? 0 });
    if (pair?.blockedUntil && pair.failures === policy.pairLockAfter) {
      await audit(tx, 'auth.account_locked', {
        lockedUntil: pair.blockedUntil.toISOString(),
        failures: pair.failures,
      });
    }
    for (const slowed of counted) {
      const ceiling = slowed.kind === 'account' ? policy.accountSlowAfter : policy.addressSlowAfter;
      if (slowed.kind !== 'pair' && slowed.failures === ceiling) {
        await audit(tx, 'auth.sign_in_slowed', { by: slowed.kind, failures: slowed.failures });
      }
    }
  });
  return pair?.blockedUntil && pair.blockedUntil > new Date() ? pair.blockedUntil : null;
}

/**
 * Signs in with an e-mail address and password. A wrong password, an unknown address and a
 * deactivated account are answered alike, after the same work (the password check, the count,
 * the audit), so that nothing tells them apart; see sign-in-throttle.ts for locks and pauses.
 */
export async function signIn(
  db: Database,
  guard: SignInGuard,
  credentials: Login,
  attempt: { origin: Origin; client: SignInClient; previousToken?: string | undefined },
): Promise<SignedIn & { deviceCookie: string }> {
  const { throttle, sessions: policy } = guard;
  const { origin, client } = attempt;
  const email = credentials.email;
  const user = await findUserByEmail(db, email);
  const subject = subjectOf(user, email);
  const { keys, counted } = await reserveAttempt(db, throttle, email, client, (after) =>
    auditAttempt(db, subject, origin, 'auth.sign_in_refused', after),
  );
  const passwordRight = user
    ? await verifyPassword(user.passwordHash, credentials.password)
    : await verifyDecoy(credentials.password);
  if (!user || !passwordRight || !user.active) {
    const reason = !user ? 'unknown_email' : !passwordRight ? 'wrong_password' : 'deactivated';
    const locked = await auditFailedAttempt(
      db,
      throttle.policy,
      counted,
      (tx, action, after) => auditAttempt(tx, subject, origin, action, after),
      reason === 'deactivated' ? 'auth.sign_in_refused' : 'auth.sign_in_failed',
      reason,
    );
    if (locked) throw lockedError(locked);
    throw new UnauthorizedError(wrongCredentials);
  }

  const token = randomBytes(32).toString('base64url');
  const sessionId = sessionIdOf(token);
  const expiresAt = new Date(Date.now() + policy.maxLifetimeSeconds * 1000);
  await inTransaction(db, async (tx) => {
    // A fresh id at every sign-in: a session id planted before sign-in is worth nothing after.
    if (attempt.previousToken) await deleteSession(tx, sessionIdOf(attempt.previousToken));
    await releaseAttempt(tx, keys, throttle.policy);
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
  await sweepForgottenThrottles(db, throttle.policy);
  return {
    token,
    expiresAt,
    actor: { userId: user.id, agencyId: user.agencyId, role: user.role, sessionId },
    deviceCookie: throttle.deviceCookieAfterSignIn(email, client.deviceCookie),
  };
}

let lastSweep = 0;
const sweepIntervalMs = 10 * 60_000;

/** Drops forgotten counts now and then (at most every ten minutes per process). */
async function sweepForgottenThrottles(db: Database, policy: SignInThrottlePolicy) {
  if (Date.now() - lastSweep < sweepIntervalMs) return;
  lastSweep = Date.now();
  await deleteForgottenThrottles(db, policy.forgetMinutes);
}

function lockedError(until: Date): LockedError {
  return new LockedError(
    `Too many failed sign-ins: this account is locked on this device or network until ${until.toISOString()}. ` +
      'Try again then, or from another browser you have signed in from before.',
    until,
  );
}

function slowedError(until: Date): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new TooManyRequestsError(
    `Too many failed sign-ins: wait ${seconds} second${seconds === 1 ? '' : 's'} and try again, ` +
      'or sign in from a browser you have signed in from before.',
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
 * Keeps a session's last-seen time, unless the database cannot write (a full or read-only disk):
 * a read goes on then, and the session looks idle since it was last kept. Every other failure is
 * the request's.
 */
async function touchSessionWhileWritable(db: Database, sessionId: string): Promise<void> {
  try {
    await touchSession(db, sessionId);
  } catch (error) {
    const storage = classifyStorageError(error);
    if (storage?.kind !== 'disk_full' && storage?.kind !== 'read_only') throw error;
  }
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
  if (idleSince > touchIntervalMs) await touchSessionWhileWritable(db, sessionId);
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

/**
 * Changes one's own password; every other session of the user ends. A wrong current password
 * counts as a failed sign-in of the account from this client (locks and pauses included): a
 * session alone, without the password, cannot try passwords unbounded.
 */
export async function changeOwnPassword(
  db: Database,
  throttle: SignInThrottle,
  ctx: RequestContext,
  input: ChangePassword,
  client: SignInClient,
): Promise<void> {
  const found = await findUserWithAgency(db, ctx.actor.userId);
  if (!found) throw new UnauthorizedError('The session no longer has a user.');
  const { user } = found;
  const subject = subjectOf(user, user.email);
  const { keys, counted } = await reserveAttempt(
    db,
    throttle,
    user.email.toLowerCase(),
    client,
    (after) => auditAttempt(db, subject, ctx, 'user.password_change_refused', after),
  );
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    const locked = await auditFailedAttempt(
      db,
      throttle.policy,
      counted,
      (tx, action, after) => auditAttempt(tx, subject, ctx, action, after),
      'user.password_change_failed',
      'wrong_current_password',
    );
    if (locked) throw lockedError(locked);
    throw ValidationError.field('currentPassword', 'is not your current password');
  }
  // The right current password: the attempt is not a failure, whatever follows.
  await inTransaction(db, (tx) => releaseAttempt(tx, keys, throttle.policy));
  await assertPasswordAcceptable(input.newPassword, 'newPassword', [user.email, user.displayName]);
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
