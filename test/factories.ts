import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import {
  activities,
  agencies,
  coordinatorInitiatives,
  fieldRecords,
  initiatives,
  inspections,
  materials,
  outreachVisits,
  places,
  stockShortfalls,
  submissions,
  tips,
  users,
} from '#db/schema.ts';
import { hashPassword } from '#server/features/auth/passwords.ts';
import { submitPublicTip } from '#server/features/tips/tips.service.ts';
import { normalizePlaceName } from '#shared/places.ts';
import type { Role } from '#shared/roles.ts';

import { testSecrets } from './test-secrets.ts';

export const testPassword = 'tangerine-hollow-ferry-41';

/** One argon2 hash for every factory user: hashing is slow by design. */
let sharedHash: Promise<string> | undefined;

export async function newAgency(
  db: Database,
  overrides: Partial<typeof agencies.$inferInsert> = {},
) {
  const suffix = randomUUID().slice(0, 8);
  const [row] = await db
    .insert(agencies)
    .values({
      slug: `agency-${suffix}`,
      name: `Test Agency ${suffix}`,
      country: 'US',
      region: 'MO',
      timeZone: 'America/Chicago',
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no agency row');
  return row;
}

export async function newUser(
  db: Database,
  agencyId: string,
  overrides: Partial<Omit<typeof users.$inferInsert, 'agencyId'>> & { role?: Role } = {},
) {
  sharedHash ??= hashPassword(testPassword);
  const [row] = await db
    .insert(users)
    .values({
      agencyId,
      email: `${overrides.role ?? 'officer'}-${randomUUID().slice(0, 8)}@example.test`,
      displayName: 'Test Person',
      role: 'officer',
      passwordHash: await sharedHash,
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no user row');
  return row;
}

const today = () => new Date().toISOString().slice(0, 10);

export async function newInitiative(
  db: Database,
  agencyId: string,
  createdBy: string,
  overrides: Partial<typeof initiatives.$inferInsert> = {},
) {
  const [row] = await db
    .insert(initiatives)
    .values({
      id: randomUUID(),
      agencyId,
      name: 'Awareness Week',
      startsOn: today(),
      endsOn: today(),
      createdBy,
      requestHash: 'factory',
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no initiative row');
  return row;
}

export async function newPlace(
  db: Database,
  agencyId: string,
  overrides: Partial<typeof places.$inferInsert> = {},
) {
  const name = overrides.name ?? `Truck Stop ${randomUUID().slice(0, 6)}`;
  const [row] = await db
    .insert(places)
    .values({
      id: randomUUID(),
      agencyId,
      kind: 'truck_stop',
      name,
      normalizedName: normalizePlaceName(name),
      lat: 39.1,
      lon: -94.6,
      requestHash: 'factory',
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no place row');
  return row;
}

export async function newMaterial(
  db: Database,
  agencyId: string,
  overrides: Partial<typeof materials.$inferInsert> = {},
) {
  const [row] = await db
    .insert(materials)
    .values({
      id: randomUUID(),
      agencyId,
      kind: 'wallet_card',
      name: 'Wallet card',
      language: 'en',
      provider: 'Truckers Against Trafficking',
      requestHash: 'factory',
      ...overrides,
    })
    .returning();
  if (!row) throw new Error('no material row');
  return row;
}

/** A field record straight in the database: an inspection, outreach visit or activity. */
export async function newRecord(
  db: Database,
  kind: 'inspection' | 'outreach_visit' | 'activity',
  agencyId: string,
  officerId: string,
) {
  const base = {
    id: randomUUID(),
    agencyId,
    officerId,
    occurredAt: new Date(),
    localDate: today(),
    createdBy: officerId,
    requestHash: 'factory',
  };
  // A record's id is taken in the registry first, as every path that makes records does.
  await db.insert(fieldRecords).values({ id: base.id, agencyId, kind });
  if (kind === 'inspection')
    await db.insert(inspections).values({ ...base, level: 'III', outreachGiven: true });
  else if (kind === 'outreach_visit') await db.insert(outreachVisits).values(base);
  else await db.insert(activities).values({ ...base, kind: 'presentations' });
  return base;
}

export async function newShortfall(db: Database, agencyId: string, officerId: string) {
  const material = await newMaterial(db, agencyId);
  const record = await newRecord(db, 'inspection', agencyId, officerId);
  const [row] = await db
    .insert(stockShortfalls)
    .values({ agencyId, materialId: material.id, officerId, recordId: record.id, quantity: 3 })
    .returning();
  if (!row) throw new Error('no shortfall row');
  return row;
}

/** A coordinator initiative published by `agencyId`, running this week in the U.S. */
export async function newCoordinatorInitiative(db: Database, agencyId: string, createdBy: string) {
  const id = randomUUID();
  await db.insert(coordinatorInitiatives).values({
    id,
    agencyId,
    name: 'Awareness Initiative',
    windows: [{ country: 'US', startsOn: today(), endsOn: today() }],
    createdBy,
    requestHash: 'factory',
  });
  return { id };
}

/** An agency's submission to a coordinator initiative. */
export async function newSubmission(
  db: Database,
  coordinatorInitiativeId: string,
  agencyId: string,
  status: 'draft' | 'submitted' = 'draft',
) {
  await db.insert(submissions).values({
    coordinatorInitiativeId,
    agencyId,
    status,
    jurisdiction: 'Test jurisdiction',
    counts: { wallet_cards: 3 },
  });
}

/** A tip from the public to the agency, with the receipt and the secret its sender was given. */
export async function newTip(db: Database, agencyId: string) {
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId));
  if (!agency) throw new Error('no agency');
  const receipt = await submitPublicTip(
    db,
    testSecrets,
    agency,
    {
      redFlags: ['lot_drop_off'],
      placeId: null,
      seenOn: null,
      seenTime: null,
      language: 'en',
      content: {
        whereText: 'North lot',
        position: null,
        vehicles: [],
        people: '',
        narrative: 'A car dropped two people who went from truck to truck.',
        contact: '',
        contactSafe: null,
      },
    },
    'factory',
  );
  const [tip] = await db
    .select({ id: tips.id })
    .from(tips)
    .where(eq(tips.receiptCode, receipt.receiptCode.replaceAll('-', '')));
  if (!tip) throw new Error('no tip row');
  return { id: tip.id, receipt: receipt.receiptCode, secret: receipt.secret };
}
