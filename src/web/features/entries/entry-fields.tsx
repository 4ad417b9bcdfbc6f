import { type ReactNode, useEffect, useState } from 'react';
import type { Agency } from '#shared/contracts/agencies.ts';
import type { Page } from '#shared/contracts/common.ts';
import type { Place } from '#shared/contracts/places.ts';
import type { Material, StockHolding } from '#shared/contracts/stock.ts';
import { useMe } from '../../lib/session.tsx';
import { useGet } from '../../lib/use-api.ts';
import { Fieldset, Radio } from '../../ui/fields.tsx';

/** What every entry form shares: when, where, and the material handed out. */

/** `YYYY-MM-DDTHH:MM` of now on this device, what a datetime-local input holds. */
export function nowLocal(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

export type Position = { lat: number; lon: number };

/** Where the device is, once, if the officer allows it. */
export function usePosition(): { position: Position | null; status: string } {
  const [state, setState] = useState<{ position: Position | null; status: string }>({
    position: null,
    status: 'Finding your position…',
  });
  useEffect(() => {
    if (!('geolocation' in navigator)) {
      setState({ position: null, status: 'This device gives no position.' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        setState({
          position: { lat: +p.coords.latitude.toFixed(6), lon: +p.coords.longitude.toFixed(6) },
          status: '',
        }),
      () => setState({ position: null, status: 'No position: pick a place or leave it out.' }),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  }, []);
  return state;
}

export function WhenField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <>
      <label className="usa-label" htmlFor="occurredAt">
        When
      </label>
      <input
        className="usa-input"
        id="occurredAt"
        name="occurredAt"
        type="datetime-local"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
      />
    </>
  );
}

/**
 * The place of an entry: the nearest known places first (the nearest chosen unless the officer
 * picks another), the GPS point alone, or none. `chosen` is a place id, 'gps' or 'none'.
 */
export function usePlaceChoice(chosen: string, search = '') {
  const { position, status } = usePosition();
  const nearby = useGet<Page<Place>>(
    position ? `/api/places?near=${position.lat},${position.lon}&limit=5` : null,
  );
  const term = search.trim();
  const found = useGet<Page<Place>>(
    term.length >= 2 ? `/api/places?q=${encodeURIComponent(term)}&limit=5` : null,
  );
  // The nearest first, then what a search by name found that is not among them.
  const near = nearby.data?.items ?? [];
  const places = [
    ...near,
    ...(found.data?.items ?? []).filter((p) => !near.some((n) => n.id === p.id)),
  ];
  const choice = chosen || places[0]?.id || (position ? 'gps' : 'none');
  return {
    position,
    status,
    places,
    choice,
    placeId: choice === 'gps' || choice === 'none' ? null : choice,
  };
}

export function PlaceField({
  choice,
  onChoose,
  search,
  onSearch,
}: {
  choice: ReturnType<typeof usePlaceChoice>;
  onChoose: (value: string) => void;
  search: string;
  onSearch: (value: string) => void;
}) {
  return (
    <Fieldset legend="Where">
      {choice.status && <p className="usa-hint">{choice.status}</p>}
      <label className="usa-label margin-top-1" htmlFor="place-search">
        Another place, by name
      </label>
      <input
        className="usa-input"
        id="place-search"
        type="search"
        autoComplete="off"
        value={search}
        onChange={(e) => onSearch(e.target.value)}
      />
      {choice.places.map((place) => (
        <Radio
          key={place.id}
          id={`place-${place.id}`}
          name="place"
          label={place.name}
          description={
            place.distanceKm === undefined ? undefined : `${place.distanceKm.toFixed(1)} km`
          }
          checked={choice.choice === place.id}
          onChange={() => onChoose(place.id)}
          tile
        />
      ))}
      {choice.position && (
        <Radio
          id="place-gps"
          name="place"
          label="None of these: keep my GPS point"
          checked={choice.choice === 'gps'}
          onChange={() => onChoose('gps')}
          tile
        />
      )}
      <Radio
        id="place-none"
        name="place"
        label="No place"
        checked={choice.choice === 'none'}
        onChange={() => onChoose('none')}
        tile
      />
    </Fieldset>
  );
}

/** A number with big − and + buttons, for counting at the roadside with gloves on. */
export function Stepper({
  id,
  label,
  hint,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  value: number;
  onChange: (value: number) => void;
}) {
  const set = (next: number) => onChange(Math.max(0, next));
  return (
    <div className="stepper">
      <label htmlFor={id} className="usa-label stepper__label">
        {label}
        {hint && <span className="usa-hint display-block">{hint}</span>}
      </label>
      <div className="stepper__controls">
        <button
          className="usa-button usa-button--outline"
          type="button"
          aria-label={`One fewer ${label}`}
          onClick={() => set(value - 1)}
        >
          −
        </button>
        <input
          id={id}
          name={id}
          type="number"
          inputMode="numeric"
          min={0}
          className="usa-input stepper__input"
          value={value}
          onChange={(e) => set(Number(e.target.value) || 0)}
        />
        <button
          className="usa-button usa-button--outline"
          type="button"
          aria-label={`One more ${label}`}
          onClick={() => set(value + 1)}
        >
          +
        </button>
      </div>
    </div>
  );
}

/** A stepper per material of the agency, each showing what the officer carries. */
export function MaterialSteppers({
  quantities,
  onChange,
}: {
  quantities: Record<string, number>;
  onChange: (quantities: Record<string, number>) => void;
}) {
  const me = useMe();
  const materials = useGet<Page<Material>>('/api/materials');
  const agency = useGet<Agency>(`/api/agencies/${me.agency.id}`);
  const low = agency.data?.stockPolicy.lowThreshold ?? 0;
  const stock = useGet<Page<StockHolding>>('/api/stock');
  const carried = new Map(
    (stock.data?.items ?? [])
      .filter((h) => h.holderId === me.user.id)
      .map((h) => [h.materialId, h.onHand]),
  );
  return (
    <Fieldset legend="Material handed out">
      {(materials.data?.items ?? []).map((material) => (
        <Stepper
          key={material.id}
          id={`quantity-${material.id}`}
          label={`${material.name} (${material.language})`}
          hint={`You carry ${carried.get(material.id) ?? 0}${(carried.get(material.id) ?? 0) < low ? ': running low, ask for more' : ''}`}
          value={quantities[material.id] ?? 0}
          onChange={(quantity) => onChange({ ...quantities, [material.id]: quantity })}
        />
      ))}
    </Fieldset>
  );
}

/** Material lines of an entry: the steppers above zero. */
export const materialLines = (quantities: Record<string, number>) =>
  Object.entries(quantities)
    .filter(([, quantity]) => quantity > 0)
    .map(([materialId, quantity]) => ({ materialId, quantity }));

/** The instant of a datetime-local value, or null when it is not one. */
export function instantOf(local: string): string | null {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The notes of any entry; never the names of drivers or passengers. */
export function NotesField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <>
      <label className="usa-label" htmlFor="notes">
        Notes
      </label>
      <span className="usa-hint" id="notes-hint">
        No names of drivers or passengers.
      </span>
      <textarea
        className="usa-textarea"
        aria-describedby="notes-hint"
        id="notes"
        name="notes"
        value={value}
        maxLength={5000}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}

/** Loads a record to change, then hands it to the form; says so when it cannot. */
export function WithRecord<T>({
  path,
  what,
  children,
}: {
  path: string;
  what: string;
  children: (record: T) => ReactNode;
}) {
  const record = useGet<T>(path);
  if (record.isError) return <p role="alert">This {what} could not be loaded.</p>;
  if (!record.data) return <p>Loading…</p>;
  return <>{children(record.data)}</>;
}
