import { and, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '#db/client.ts';
import { signInThrottles } from '#db/schema.ts';
import type { SignInThrottlePolicy } from '../../config.ts';
import type { ThrottleKey, ThrottleKind } from './sign-in-throttle.ts';

export interface ThrottleState {
  key: string;
  kind: ThrottleKind;
  failures: number;
  blockedUntil: Date | null;
}

/** The counters among `keys` that refuse attempts now (blocked until a later time). */
export async function findActiveBlocks(db: Executor, keys: string[]): Promise<ThrottleState[]> {
  return db
    .select({
      key: signInThrottles.key,
      kind: signInThrottles.kind,
      failures: signInThrottles.failures,
      blockedUntil: signInThrottles.blockedUntil,
    })
    .from(signInThrottles)
    .where(and(inArray(signInThrottles.key, keys), gt(signInThrottles.blockedUntil, sql`now()`)));
}

/**
 * Counts an attempt against each key, atomically, in one statement, before its password is
 * checked (so that attempts sent at once cannot all slip under a threshold), but not against a
 * key that blocks attempts now: such a key is left as it is and missing from the answer. A
 * count whose last failure is older than `forgetMinutes` starts again at one. A pair reaching
 * its threshold is locked for `pairLockMinutes`; an account or address at or past its ceiling
 * pauses for a time that doubles with each attempt let through, up to `maxPauseSeconds`.
 */
export async function countAttempt(
  db: Executor,
  keys: ThrottleKey[],
  policy: SignInThrottlePolicy,
): Promise<ThrottleState[]> {
  const t = signInThrottles;
  const forgotten = sql`${t.lastFailureAt} < now() - make_interval(mins => ${policy.forgetMinutes}::int)`;
  const next = sql`(case when ${forgotten} then 1 else ${t.failures} + 1 end)`;
  const threshold = thresholdOf(policy);
  const block = sql`case
    when ${next} < ${threshold} then null
    when ${t.kind} = 'pair' then now() + make_interval(mins => ${policy.pairLockMinutes}::int)
    else now() + make_interval(secs => least(${policy.maxPauseSeconds}::int,
      power(2, least(${next} - ${threshold}, 30))))
    end`;
  return db
    .insert(t)
    .values(
      keys.map(({ key, kind }) => ({
        key,
        kind,
        failures: 1,
        lastFailureAt: sql`now()`,
        blockedUntil: firstFailureBlock(kind, policy),
      })),
    )
    .onConflictDoUpdate({
      target: t.key,
      set: { failures: next, lastFailureAt: sql`now()`, blockedUntil: block },
      setWhere: sql`${t.blockedUntil} is null or ${t.blockedUntil} <= now()`,
    })
    .returning({
      key: t.key,
      kind: t.kind,
      failures: t.failures,
      blockedUntil: t.blockedUntil,
    });
}

/** The threshold of a counter's kind, in SQL. */
function thresholdOf(policy: SignInThrottlePolicy) {
  const t = signInThrottles;
  return sql`(case ${t.kind} when 'pair' then ${policy.pairLockAfter}::int
    when 'account' then ${policy.accountSlowAfter}::int else ${policy.addressSlowAfter}::int end)`;
}

/**
 * Takes back what an attempt counted when its password was right: its pair starts afresh, and
 * the account and address counts lose the one attempt (and the pause it brought, if the count
 * falls under the ceiling again).
 */
export async function releaseAttempt(
  db: Executor,
  keys: ThrottleKey[],
  policy: SignInThrottlePolicy,
): Promise<void> {
  const t = signInThrottles;
  const pairs = keys.filter((k) => k.kind === 'pair').map((k) => k.key);
  const others = keys.filter((k) => k.kind !== 'pair').map((k) => k.key);
  if (pairs.length > 0) await db.delete(t).where(inArray(t.key, pairs));
  if (others.length > 0) {
    await db
      .update(t)
      .set({
        failures: sql`greatest(${t.failures} - 1, 0)`,
        blockedUntil: sql`case when ${t.failures} - 1 < ${thresholdOf(policy)} then null
          else ${t.blockedUntil} end`,
      })
      .where(inArray(t.key, others));
  }
}

/** A threshold of one blocks at the first failure (only ever so in tests). */
function firstFailureBlock(kind: ThrottleKind, policy: SignInThrottlePolicy) {
  const threshold =
    kind === 'pair'
      ? policy.pairLockAfter
      : kind === 'account'
        ? policy.accountSlowAfter
        : policy.addressSlowAfter;
  if (threshold > 1) return null;
  return kind === 'pair'
    ? sql`now() + make_interval(mins => ${policy.pairLockMinutes}::int)`
    : sql`now() + make_interval(secs => 1)`;
}

/** Removes counts that are forgotten and block nothing any more. */
export async function deleteForgottenThrottles(
  db: Executor,
  forgetMinutes: number,
): Promise<number> {
  const t = signInThrottles;
  const deleted = await db
    .delete(t)
    .where(
      and(
        lt(t.lastFailureAt, sql`now() - make_interval(mins => ${forgetMinutes}::int)`),
        or(isNull(t.blockedUntil), lt(t.blockedUntil, sql`now()`)),
      ),
    )
    .returning({ key: t.key });
  return deleted.length;
}
