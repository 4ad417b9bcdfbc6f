import type { Database } from '#db/client.ts';
import type { Role } from '#shared/roles.ts';
import { findAgencyBySlug } from '../agencies/agencies.repository.ts';
import { createAgency } from '../agencies/agencies.service.ts';
import { findUserByEmail } from '../auth/credentials.repository.ts';
import { createUser } from '../users/users.service.ts';
import { countAgencies } from './demo.repository.ts';

export const demoAgency = {
  slug: 'demo',
  name: 'Demo City Police, Commercial Vehicle Enforcement',
  kind: 'enforcement',
  country: 'US',
  region: 'MO',
  timeZone: 'America/Chicago',
  ori: null,
} as const;

/** One demo sign-in per role; the agency administrator is `admin@`. */
export const demoUsers: { email: string; displayName: string; role: Role }[] = [
  { email: 'officer@demo.milepost.test', displayName: 'Officer Dana Reyes', role: 'officer' },
  { email: 'supervisor@demo.milepost.test', displayName: 'Sgt. Chris Walker', role: 'supervisor' },
  { email: 'analyst@demo.milepost.test', displayName: 'Pat Okafor', role: 'analyst' },
  { email: 'admin@demo.milepost.test', displayName: 'Lt. Sam Whitfield', role: 'agency_admin' },
  { email: 'coordinator@demo.milepost.test', displayName: 'Jo Martinez', role: 'coordinator' },
];

const demoOrigin = { ip: null, userAgent: 'milepost demo', requestId: null };

/**
 * Adds the demo agency and its users, leaving alone whatever already exists; running it twice
 * changes nothing. Returns what it created.
 */
export async function loadDemo(db: Database, password: string): Promise<{ created: string[] }> {
  const created: string[] = [];
  let agency: { id: string } | undefined = await findAgencyBySlug(db, demoAgency.slug);
  if (!agency) {
    agency = await createAgency(db, null, demoAgency);
    created.push(`agency ${demoAgency.slug}`);
  }
  for (const user of demoUsers) {
    if (await findUserByEmail(db, user.email)) continue;
    await createUser(db, null, { ...user, password, agencyId: agency.id }, demoOrigin);
    created.push(`user ${user.email}`);
  }
  return { created };
}

/** Loads the demo only into a database that has no agency at all yet. */
export async function loadDemoIfEmpty(db: Database, password: string): Promise<boolean> {
  if ((await countAgencies(db)) > 0) return false;
  await loadDemo(db, password);
  return true;
}
