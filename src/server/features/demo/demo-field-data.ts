import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Database } from '#db/client.ts';
import { redFlagCodes } from '#shared/catalogues/field.ts';
import type { ActivityKind } from '#shared/catalogues/metrics.ts';
import { pickWith, seededRandom } from '#shared/random.ts';
import { addDays, localDateOf } from '#shared/time.ts';
import type { RequestContext } from '../../context.ts';
import { createRecord } from '../../records/field-records.service.ts';
import { activityKind } from '../activities/activities.routes.ts';
import { importPlaces } from '../imports/imports.service.ts';
import { createInitiative, updateInitiative } from '../initiatives/initiatives.service.ts';
import { inspectionKind } from '../inspections/inspections.routes.ts';
import { outreachVisitKind } from '../outreach-visits/outreach-visits.routes.ts';
import { listPlacesByName } from '../places/places.repository.ts';
import { createMaterial, createStockMovement } from '../stock/stock.service.ts';

/** Fixed ids: running the demo again finds these and adds nothing twice. */
export const demoIds = {
  initiative: '6d696c65-706f-4374-8000-000000000001',
  materials: {
    walletCardEn: '6d696c65-706f-4374-8000-000000000101',
    walletCardEs: '6d696c65-706f-4374-8000-000000000102',
    windowDecal: '6d696c65-706f-4374-8000-000000000103',
    posterEn: '6d696c65-706f-4374-8000-000000000104',
    posterEs: '6d696c65-706f-4374-8000-000000000105',
  },
} as const;

const demoPlacesFile = path.join(import.meta.dirname, 'data', 'kansas-city-places.geojson');

const catalogue = [
  {
    id: demoIds.materials.walletCardEn,
    kind: 'wallet_card',
    name: 'TAT wallet card',
    language: 'en',
    received: 2000,
  },
  {
    id: demoIds.materials.walletCardEs,
    kind: 'wallet_card',
    name: 'TAT wallet card',
    language: 'es',
    received: 500,
  },
  {
    id: demoIds.materials.windowDecal,
    kind: 'window_decal',
    name: 'TAT window decal',
    language: 'en',
    received: 800,
  },
  {
    id: demoIds.materials.posterEn,
    kind: 'poster',
    name: 'TAT truck-stop poster',
    language: 'en',
    received: 100,
  },
  {
    id: demoIds.materials.posterEs,
    kind: 'poster',
    name: 'TAT truck-stop poster',
    language: 'es',
    received: 40,
  },
] as const;

/**
 * The id of the demo's `name`d thing in an agency: a UUID (version 8, RFC 9562) made from the
 * agency's id, so that the demo's records and stock movements have ids of their agency's own,
 * which no other agency holds by chance and none can take first without knowing the agency's id.
 */
export function demoIdOf(agencyId: string, name: string): string {
  const hex = createHash('sha256').update(`milepost-demo:${agencyId}:${name}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The id of the `n`th record (from 1) the demo logs for the agency. */
export function demoRecordId(agencyId: string, n: number): string {
  return demoIdOf(agencyId, `record-${n}`);
}

/**
 * The demo agency's week of field work: an awareness week around today, the places of the
 * Kansas City area, material from Truckers Against Trafficking issued to five officers, and
 * their inspections, truck-stop visits and other outreach up to now.
 */
export async function loadDemoFieldData(
  db: Database,
  contexts: { supervisor: RequestContext; officers: RequestContext[] },
  timeZone: string,
  now = Date.now(),
): Promise<boolean> {
  const { supervisor, officers } = contexts;
  const today = localDateOf(new Date(now), timeZone);
  const startsOn = addDays(today, -4);
  const { created } = await createInitiative(db, supervisor, {
    id: demoIds.initiative,
    name: 'Human Trafficking Awareness Week',
    description:
      'Officers hand Truckers Against Trafficking material to drivers during routine inspections and visit area truck stops.',
    startsOn,
    endsOn: addDays(today, 2),
    goals: {
      inspections: 250,
      wallet_cards: 1000,
      window_decals: 400,
      outreach_visits: 30,
      posters: 60,
    },
    targetPlaceIds: [],
  });
  if (!created) return false;

  await importPlaces(
    db,
    supervisor,
    { format: 'geojson', document: JSON.parse(fs.readFileSync(demoPlacesFile, 'utf8')) },
    { skipInvalid: false },
  );
  const places = await listPlacesByName(
    db,
    { agencyId: supervisor.actor.agencyId },
    undefined,
    100,
  );
  // The week's targets: the truck stops and travel plazas, some of which the squad reaches.
  await updateInitiative(db, supervisor, demoIds.initiative, {
    version: 1,
    targetPlaceIds: places
      .filter((p) => p.kind === 'truck_stop' || p.kind === 'travel_plaza')
      .slice(0, 15)
      .map((p) => p.id),
  });
  const next = seededRandom(20240111);
  const pick = <T>(list: readonly T[]) => pickWith(next, list);
  const agencyId = supervisor.actor.agencyId;
  let records = 0;
  let movements = 0;
  const recordId = () => demoRecordId(agencyId, ++records);
  const movementId = () => demoIdOf(agencyId, `movement-${++movements}`);

  for (const material of catalogue) {
    const { received, ...fields } = material;
    await createMaterial(db, supervisor, {
      ...fields,
      provider: 'Truckers Against Trafficking',
      code: null,
    });
    await createStockMovement(db, supervisor, {
      id: movementId(),
      materialId: material.id,
      type: 'received',
      quantity: received,
      officerId: null,
      note: 'Delivery from Truckers Against Trafficking',
    });
  }
  for (const officer of officers) {
    for (const [materialId, quantity] of [
      [demoIds.materials.walletCardEn, 150],
      [demoIds.materials.walletCardEs, 30],
      [demoIds.materials.windowDecal, 60],
    ] as const) {
      await createStockMovement(db, supervisor, {
        id: movementId(),
        materialId,
        type: 'issued',
        quantity,
        officerId: officer.actor.userId,
        note: null,
      });
    }
  }

  const truckStops = places.filter((p) => p.kind === 'truck_stop' || p.kind === 'travel_plaza');
  const roadside = places.filter((p) => p.kind === 'weigh_station' || p.kind === 'rest_area');
  for (let day = 0; day <= 4; day++) {
    const date = addDays(startsOn, day);
    for (const officer of officers) {
      // A shift from 07:00 to 17:00 local time, cut short at the present moment on the last day.
      const inspections = 6 + Math.floor(next() * 6);
      for (let n = 0; n < inspections; n++) {
        const at = instantAt(date, 7 + next() * 10, timeZone);
        if (at.getTime() > now) continue;
        const place = next() < 0.6 ? pick(roadside) : null;
        const spanish = next() < 0.15;
        const flags = next() < 0.04 ? [pick(redFlagCodes.filter((c) => c !== 'other'))] : [];
        await createRecord(db, officer, inspectionKind, {
          id: recordId(),
          occurredAt: at.toISOString(),
          placeId: place?.id ?? null,
          position: place
            ? { lat: place.lat, lon: place.lon }
            : { lat: 39.0 + next() * 0.3, lon: -94.7 + next() * 0.4 },
          level: pick(['I', 'II', 'III', 'III', 'III'] as const),
          usdotNumber: String(100000 + Math.floor(next() * 3_800_000)),
          reportNumber: `MO${String(Math.floor(next() * 1e8)).padStart(8, '0')}`,
          reportState: 'MO',
          vehicleType: pick(['truck_tractor', 'truck_tractor', 'straight_truck', 'bus'] as const),
          outreachGiven: next() < 0.92,
          materials: [
            {
              materialId: spanish ? demoIds.materials.walletCardEs : demoIds.materials.walletCardEn,
              quantity: 1 + Math.floor(next() * 2),
            },
            ...(next() < 0.5 ? [{ materialId: demoIds.materials.windowDecal, quantity: 1 }] : []),
          ],
          redFlags: flags,
          action:
            flags.length > 0
              ? pick(['hotline_called', 'referred_to_investigators'] as const)
              : 'none',
          notes:
            flags.length > 0
              ? 'Passenger did not know the city they were in; driver answered for her.'
              : '',
        });
      }
      if (next() < 0.75) {
        const at = instantAt(date, 17 + next() * 3, timeZone);
        if (at.getTime() <= now) {
          const place = pick(truckStops);
          await createRecord(db, officer, outreachVisitKind, {
            id: recordId(),
            occurredAt: at.toISOString(),
            placeId: place.id,
            notes: '',
            reached: {
              drivers: 5 + Math.floor(next() * 20),
              staff: 1 + Math.floor(next() * 4),
              public: Math.floor(next() * 6),
            },
            materials: [
              {
                materialId: demoIds.materials.walletCardEn,
                quantity: 10 + Math.floor(next() * 20),
              },
              {
                materialId: next() < 0.5 ? demoIds.materials.posterEn : demoIds.materials.posterEs,
                quantity: 1 + Math.floor(next() * 2),
              },
            ],
            postersPutUp: 1 + Math.floor(next() * 2),
            managerEngaged: next() < 0.7,
            followUpOn: next() < 0.3 ? addDays(date, 14) : null,
          });
        }
      }
    }
  }
  const activities: [number, ActivityKind, number, string][] = [
    [0, 'media_contacts', 3, 'News conference at South Patrol Division'],
    [0, 'social_posts', 2, 'Hotline number and red flags on the department’s accounts'],
    [1, 'message_board_displays', 4, 'Hotline on message boards along I-70 and I-35'],
    [2, 'presentations', 1, 'Briefing for a regional carrier’s drivers'],
    [3, 'carrier_trainings', 1, 'TAT training video with a motorcoach company'],
    [4, 'outreach_events', 1, 'Table at the truck show'],
  ];
  for (const [day, kind, count, notes] of activities) {
    const at = instantAt(addDays(startsOn, day), 10, timeZone);
    if (at.getTime() > now) continue;
    await createRecord(db, pick(officers), activityKind, {
      id: recordId(),
      occurredAt: at.toISOString(),
      placeId: null,
      kind,
      count,
      notes,
    });
  }
  return true;
}

/** The instant of a local date and hour (fractional) in a time zone. */
function instantAt(date: string, hour: number, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone })
    .plus({ minutes: Math.floor(hour * 60) })
    .toJSDate();
}
