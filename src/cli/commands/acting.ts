import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { agencies, users } from '#db/schema.ts';
import type { RequestContext } from '#server/context.ts';
import type { Role } from '#shared/roles.ts';
import { CliError } from '../cli-error.ts';

/**
 * Who a command acts as: a user of the agency (`--as EMAIL`), by default its first supervisor
 * (or the first user of `defaults.roles`). The agency is `--agency SLUG`, else `defaults.agencyId`,
 * else the only one there is. Imports and exports run with that person's permissions and are
 * audited under their name.
 */
export async function actingContext(
  db: Database,
  options: { agency?: string | undefined; as?: string | undefined },
  command: string,
  defaults: { roles?: Role[]; agencyId?: string | undefined } = {},
): Promise<RequestContext> {
  const roles = defaults.roles ?? ['supervisor', 'admin'];
  const agency = options.agency
    ? (await db.select().from(agencies).where(eq(agencies.slug, options.agency)))[0]
    : defaults.agencyId
      ? (await db.select().from(agencies).where(eq(agencies.id, defaults.agencyId)))[0]
      : await onlyAgency(db);
  if (!agency) throw new CliError(`--agency: no agency with the slug ${options.agency}`);
  const [user] = options.as
    ? await db
        .select()
        .from(users)
        .where(and(eq(users.agencyId, agency.id), eq(users.email, options.as.toLowerCase())))
    : await db
        .select()
        .from(users)
        .where(
          and(eq(users.agencyId, agency.id), eq(users.active, true), inArray(users.role, roles)),
        )
        .orderBy(asc(users.createdAt))
        .limit(1);
  if (!user) {
    throw new CliError(
      options.as
        ? `--as: no user ${options.as} in the agency ${agency.slug}`
        : `--as: the agency ${agency.slug} has no ${roles[0]}; name the user to act as`,
    );
  }
  return {
    actor: { userId: user.id, agencyId: agency.id, role: user.role, sessionId: 'cli' },
    ip: null,
    userAgent: command,
    requestId: `cli-${process.pid}`,
  };
}

async function onlyAgency(db: Database) {
  const rows = await db.select().from(agencies).limit(2);
  if (rows.length > 1)
    throw new CliError('--agency: there are several agencies; name one by its slug');
  return rows[0];
}

/** A one-line progress counter on a terminal; silent when the output is piped. */
export function progressPrinter(label: string): ((done: number) => void) & { finish(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  const print = Object.assign(
    (done: number) => {
      if (!tty || Date.now() - last < 200) return;
      last = Date.now();
      process.stderr.write(`\r${label}: ${done.toLocaleString('en-US')} rows`);
    },
    {
      finish() {
        if (tty) process.stderr.write('\n');
      },
    },
  );
  return print;
}
