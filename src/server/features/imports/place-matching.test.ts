import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePlaceName } from '#shared/places.ts';
import {
  type ImportedPlaceFields,
  type PlaceCandidate,
  type PlaceOutcome,
  planPlaceImport,
  type StoredPlace,
} from './place-matching.ts';

const ids = () => {
  let n = 0;
  return () => `place-${++n}`;
};

const csvRow = (name: string, lat: number, lon: number, extra: Partial<PlaceCandidate> = {}) =>
  ({ kind: 'truck_stop', name, lat, lon, source: 'csv', ...extra }) satisfies PlaceCandidate;

const storedPlace = (
  id: string,
  name: string,
  lat: number,
  lon: number,
  extra: Partial<StoredPlace> = {},
): StoredPlace => ({
  id,
  kind: 'truck_stop',
  name,
  normalizedName: normalizePlaceName(name),
  lat,
  lon,
  address: null,
  brand: null,
  operator: null,
  highway: null,
  exit: null,
  osmId: null,
  source: 'csv',
  attribution: null,
  deletedAt: null,
  ...extra,
});

/** 0.001° of latitude is 111 m. */
const north = (lat: number, metres: number) => lat + metres / 111_195;

describe('matching imported places', () => {
  it('takes the same name within 150 m as the same place, and the nearest of several', () => {
    const stored = [
      storedPlace('far', 'Prairie Plaza', north(39, 140), -94),
      storedPlace('near', 'Prairie Plaza', north(39, 40), -94),
    ];
    const plan = planPlaceImport(
      stored,
      [
        csvRow('PRAIRIE plaza!', 39, -94, { exit: '20' }),
        csvRow('Prairie Plaza', north(39, 400), -94),
      ],
      ids(),
    );
    expect(plan.outcomes).toEqual(['updated', 'added']);
    expect(plan.updates.map((u) => [u.before.id, u.after.exit, u.after.lat])).toEqual([
      ['near', '20', 39],
    ]);
    expect(plan.inserts).toHaveLength(1);
  });

  it('matches an OpenStreetMap element by its id first, even renamed, moved or deleted', () => {
    const stored = [
      storedPlace('osm', 'Old Name', 38, -95, { osmId: 'way/7', source: 'osm' }),
      storedPlace('gone', 'Closed Stop', 38, -96, { osmId: 'node/8', deletedAt: new Date() }),
      storedPlace('same-name', 'New Name', 39, -94),
    ];
    const plan = planPlaceImport(
      stored,
      [
        csvRow('New Name', 39, -94, { osmId: 'way/7', source: 'osm' }),
        csvRow('Closed Stop', 38, -96, { osmId: 'node/8', source: 'osm' }),
      ],
      ids(),
    );
    expect(plan.outcomes).toEqual(['updated', 'updated']);
    expect(plan.updates.map((u) => u.before.id)).toEqual(['osm', 'gone']);
    expect(plan.inserts).toEqual([]);
  });

  it('keeps what a row leaves empty, and a manual place keeps its source', () => {
    const stored = [
      storedPlace('manual', 'Scale House', 39, -94, { source: 'manual', brand: 'State' }),
    ];
    const plan = planPlaceImport(stored, [csvRow('Scale House', 39, -94, { exit: '9' })], ids());
    expect(plan.updates[0]?.after).toMatchObject({ source: 'manual', brand: 'State', exit: '9' });
    const again = planPlaceImport(stored, [csvRow('Scale House', 39, -94)], ids());
    expect(again.outcomes).toEqual(['unchanged']);
    expect(again.updates).toEqual([]);
  });

  it('takes a place named twice in one file as one place, moved by its last row', () => {
    const plan = planPlaceImport(
      [],
      [
        csvRow('Junction Fuel', 39, -94, { brand: 'A' }),
        csvRow('Junction Fuel', north(39, 100), -94, { brand: 'B' }),
        csvRow('Junction Fuel', north(39, 100), -94, { brand: 'B' }),
      ],
      ids(),
    );
    expect(plan.outcomes).toEqual(['added', 'updated', 'unchanged']);
    expect(plan.inserts).toEqual([
      expect.objectContaining({ id: 'place-1', brand: 'B', lat: north(39, 100) }),
    ]);
  });
});

// Files of a few places near each other, some named alike, some with OSM ids, in any order.
const names = ['Prairie Plaza', 'prairie-plaza', 'Junction Fuel', 'Scale House', 'Rest Area 9'];
const candidateArbitrary = fc.record({
  kind: fc.constantFrom('truck_stop', 'rest_area', 'travel_plaza') as fc.Arbitrary<
    PlaceCandidate['kind']
  >,
  name: fc.constantFrom(...names),
  lat: fc.integer({ min: 0, max: 8 }).map((steps) => north(39, steps * 60)),
  lon: fc.constant(-94),
  brand: fc.option(fc.constantFrom('A', 'B'), { nil: null }),
  exit: fc.option(fc.constantFrom('1', '2'), { nil: null }),
  osmId: fc.option(fc.constantFrom('node/1', 'node/2', 'way/3'), { nil: null }),
  source: fc.constantFrom('csv', 'osm') as fc.Arbitrary<'csv' | 'osm'>,
});

type Store = Map<string, StoredPlace>;

/** Imports `rows` batch by batch into `store`, as the service does, and says what became of each. */
function importInBatches(store: Store, rows: PlaceCandidate[], size: number, newId: () => string) {
  const outcomes: PlaceOutcome[] = [];
  for (let done = 0; done < rows.length; done += size) {
    // Every stored place, a superset of those the batch could match.
    const plan = planPlaceImport([...store.values()], rows.slice(done, done + size), newId);
    outcomes.push(...plan.outcomes);
    const write = (after: ImportedPlaceFields & { id: string }) => {
      const deletedAt = store.get(after.id)?.deletedAt ?? null;
      store.set(after.id, { ...after, deletedAt });
    };
    for (const after of [...plan.inserts, ...plan.updates.map((u) => u.after)]) write(after);
  }
  return outcomes;
}

describe('importing in batches', () => {
  it('ends with the same places and outcomes whatever the batch size', () => {
    fc.assert(
      fc.property(
        fc.array(candidateArbitrary, { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, size) => {
          const whole: Store = new Map();
          const batched: Store = new Map();
          const wholeOutcomes = importInBatches(whole, rows, rows.length || 1, ids());
          const batchedOutcomes = importInBatches(batched, rows, size, ids());
          expect(batchedOutcomes).toEqual(wholeOutcomes);
          expect([...batched.values()]).toEqual([...whole.values()]);
        },
      ),
    );
  });

  it('adds nothing when the same file comes again, once its places are apart or alike', () => {
    // Rows of one name all at one point, or a kilometre from the others: no chain of moves.
    const apart = fc.array(candidateArbitrary, { maxLength: 30 }).map((rows) =>
      rows.map((row) => ({
        ...row,
        lat: north(39, names.indexOf(row.name) * 1000),
        osmId: null,
      })),
    );
    fc.assert(
      fc.property(apart, fc.integer({ min: 1, max: 7 }), (rows, size) => {
        const store: Store = new Map();
        const newId = ids();
        importInBatches(store, rows, size, newId);
        const once = structuredClone([...store.values()]);
        const again = importInBatches(store, rows, size, newId);
        expect(again).not.toContain('added');
        expect([...store.values()]).toEqual(once);
      }),
    );
  });
});
