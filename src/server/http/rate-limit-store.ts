import crypto from 'node:crypto';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { lt, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { rateLimits } from '#db/schema.ts';

/** What `@fastify/rate-limit` expects of a store: count a hit, read a count, make a child. */
type Answer = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** What the plugin passes a child at run time: its merged settings, with the route's. */
interface ChildSettings {
  routeInfo?: { method?: string; url?: string };
}

/** Expired counters are deleted at most this often, by whichever request comes then. */
const sweepIntervalMs = 5 * 60_000;

/**
 * A store for `@fastify/rate-limit` that keeps its counters in the database (table
 * `rate_limits`), so that every Milepost process on one database counts the same hits: a limit
 * holds behind a load balancer as it does in one process. A counter is a fixed window, as the
 * plugin's own store keeps it. Keys are stored as SHA-256 hashes: no address is kept.
 */
export function databaseRateLimitStore(db: Database) {
  let lastSweep = 0;

  async function sweep(): Promise<void> {
    if (Date.now() - lastSweep < sweepIntervalMs) return;
    lastSweep = Date.now();
    await db.delete(rateLimits).where(lt(rateLimits.resetsAt, sql`now()`));
  }

  async function countHit(key: string, windowMs: number) {
    await sweep();
    const expired = sql`${rateLimits.resetsAt} <= now()`;
    const [row] = await db
      .insert(rateLimits)
      .values({
        key,
        hits: 1,
        resetsAt: sql`now() + make_interval(secs => ${windowMs / 1000}::float8)`,
      })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          hits: sql`case when ${expired} then 1 else ${rateLimits.hits} + 1 end`,
          resetsAt: sql`case when ${expired} then excluded.resets_at else ${rateLimits.resetsAt} end`,
        },
      })
      .returning({
        hits: rateLimits.hits,
        ttl: sql<number>`greatest(0, ceil(extract(epoch from ${rateLimits.resetsAt} - now()) * 1000))::int`,
      });
    if (!row) throw new Error('the rate limit counter was not written');
    return { current: row.hits, ttl: Number(row.ttl) };
  }

  async function readHits(key: string) {
    const result = await db.execute<{ hits: number; ttl: number }>(
      sql`select hits, greatest(0, ceil(extract(epoch from resets_at - now()) * 1000))::int as ttl
        from rate_limits where key = ${key} and resets_at > now()`,
    );
    const row = result.rows[0];
    return row ? { current: Number(row.hits), ttl: Number(row.ttl) } : { current: 0, ttl: 0 };
  }

  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #namespace: string;

    /** The plugin passes its settings first; a child passes the route it counts for. */
    constructor(_settings?: unknown, namespace = '') {
      this.#namespace = namespace;
    }

    #keyOf(key: string): string {
      return crypto.createHash('sha256').update(`${this.#namespace}\n${key}`).digest('base64url');
    }

    incr(key: string, answer: Answer, timeWindow: number): void {
      countHit(this.#keyOf(key), timeWindow).then(
        (result) => answer(null, result),
        (error: Error) => answer(error),
      );
    }

    read(key: string, answer: Answer): void {
      readHits(this.#keyOf(key)).then(
        (result) => answer(null, result),
        (error: Error) => answer(error),
      );
    }

    child(options: object): DatabaseRateLimitStore {
      const route = (options as ChildSettings).routeInfo ?? {};
      const namespace = route.url ? `${route.method ?? ''} ${route.url}` : this.#namespace;
      return new DatabaseRateLimitStore(undefined, namespace);
    }
  };
}
