import type { Database } from '#db/client.ts';
import type { Role } from '#shared/roles.ts';
import type { RequestContext } from '../../context.ts';
import { findAgencyBySlug, updateAgencyRow } from '../agencies/agencies.repository.ts';
import { createAgency } from '../agencies/agencies.service.ts';
import { findUserByEmail } from '../auth/credentials.repository.ts';
import { createUser } from '../users/users.service.ts';
import { countAgencies } from './demo.repository.ts';
import { loadDemoFieldData } from './demo-field-data.ts';

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
  {
    email: 'investigator@demo.milepost.test',
    displayName: 'Det. Ana Lindqvist',
    role: 'investigator',
  },
];

/** The four other officers of the demo squad, who log the demo week with `officer@`. */
export const demoSquad: { email: string; displayName: string; role: Role }[] = [
  { email: 'officer2@demo.milepost.test', displayName: 'Officer Marcus Bell', role: 'officer' },
  { email: 'officer3@demo.milepost.test', displayName: 'Officer Priya Natarajan', role: 'officer' },
  { email: 'officer4@demo.milepost.test', displayName: 'Officer Tom Kowalski', role: 'officer' },
  { email: 'officer5@demo.milepost.test', displayName: 'Officer Lena Ortiz', role: 'officer' },
];

const demoOrigin = { ip: null, userAgent: 'milepost demo', requestId: null };

/**
 * Adds the demo agency and its users, leaving alone whatever already exists; running it twice
 * changes nothing. Returns what it created.
 */
export async function loadDemo(
  db: Database,
  password: string,
  now = Date.now(),
): Promise<{ created: string[] }> {
  const created: string[] = [];
  let agency: { id: string } | undefined = await findAgencyBySlug(db, demoAgency.slug);
  if (!agency) {
    agency = await createAgency(db, null, demoAgency);
    // A number of its own for the public page (a 555 number: the demo city is made up).
    await updateAgencyRow(db, agency.id, {
      hotlines: [
        {
          label: 'Demo City Police, vehicle enforcement squad (non-emergency)',
          number: '816-555-0142',
          verifiedOn: new Date(now).toISOString().slice(0, 10),
        },
      ],
    });
    created.push(`agency ${demoAgency.slug}`);
  }
  const people = new Map<string, RequestContext>();
  for (const user of [...demoUsers, ...demoSquad]) {
    let row = await findUserByEmail(db, user.email);
    if (!row) {
      await createUser(db, null, { ...user, password, agencyId: agency.id }, demoOrigin);
      created.push(`user ${user.email}`);
      row = await findUserByEmail(db, user.email);
    }
    if (row) people.set(user.email, actingAs(row));
  }
  const supervisor = people.get('supervisor@demo.milepost.test');
  const officers = ['officer@demo.milepost.test', ...demoSquad.map((u) => u.email)].flatMap(
    (email) => {
      const ctx = people.get(email);
      return ctx ? [ctx] : [];
    },
  );
  if (
    supervisor &&
    (await loadDemoFieldData(db, { supervisor, officers }, demoAgency.timeZone, now))
  ) {
    created.push('a week of field work');
  }
  return { created };
}

/** The demo acts as its people, so its records and audit entries read as theirs. */
function actingAs(user: { id: string; agencyId: string; role: Role }): RequestContext {
  return {
    actor: {
      userId: user.id,
      agencyId: user.agencyId,
      role: user.role,
      sessionId: 'milepost-demo',
    },
    ...demoOrigin,
    requestId: 'milepost-demo',
  };
}

/** Loads the demo only into a database that has no agency at all yet. */
export async function loadDemoIfEmpty(db: Database, password: string): Promise<boolean> {
  if ((await countAgencies(db)) > 0) return false;
  await loadDemo(db, password);
  return true;
}
