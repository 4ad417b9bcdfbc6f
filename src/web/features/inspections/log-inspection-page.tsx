import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { actionsTaken, inspectionLevels, redFlags } from '#shared/catalogues/field.ts';
import type { Page } from '#shared/contracts/common.ts';
import type { Place } from '#shared/contracts/places.ts';
import type { Material, StockHolding } from '#shared/contracts/stock.ts';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { enqueue } from '../../lib/outbox.ts';
import { useMe } from '../../lib/session.tsx';
import { useGet } from '../../lib/use-api.ts';
import { Alert } from '../../ui/alert.tsx';
import { Checkbox, Disclosure, Fieldset, Radio } from '../../ui/fields.tsx';

/** `YYYY-MM-DDTHH:MM` of now on this device, what a datetime-local input holds. */
function nowLocal(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

const lastLevelKey = 'milepost.lastLevel';

interface Draft {
  occurredAt: string;
  place: string; // a place id, 'gps' (the point alone) or 'none'
  level: string;
  outreachGiven: boolean;
  quantities: Record<string, number>;
  redFlags: string[];
  action: string;
  notes: string;
}

const fresh = (): Draft => ({
  occurredAt: nowLocal(),
  place: '',
  level: localStorage.getItem(lastLevelKey) ?? 'III',
  outreachGiven: true,
  quantities: {},
  redFlags: [],
  action: 'none',
  notes: '',
});

type Position = { lat: number; lon: number };

/** Where the device is, once, if the officer allows it. */
function usePosition(): { position: Position | null; status: string } {
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

/**
 * Logging a roadside inspection in a few taps: the time is now, the place the nearest known
 * one, the level the last used, outreach given. Saved to the outbox first, sent when possible.
 */
export function LogInspectionPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Draft>('inspection', fresh);
  const [error, setError] = useState<string | null>(null);
  const { position, status } = usePosition();
  const nearby = useGet<Page<Place>>(
    position ? `/api/places?near=${position.lat},${position.lon}&limit=5` : null,
  );
  const materials = useGet<Page<Material>>('/api/materials');
  const stock = useGet<Page<StockHolding>>('/api/stock');
  const carried = new Map(
    (stock.data?.items ?? [])
      .filter((h) => h.holderId === me.user.id)
      .map((h) => [h.materialId, h.onHand]),
  );
  const places = nearby.data?.items ?? [];
  const chosenPlace = draft.place || places[0]?.id || (position ? 'gps' : 'none');
  const update = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const setQuantity = (materialId: string, quantity: number) =>
    update({ quantities: { ...draft.quantities, [materialId]: Math.max(0, quantity) } });

  async function save(event: FormEvent) {
    event.preventDefault();
    const occurredAt = new Date(draft.occurredAt);
    if (Number.isNaN(occurredAt.getTime())) {
      setError('Give the date and time of the inspection.');
      return;
    }
    const lines = Object.entries(draft.quantities)
      .filter(([, quantity]) => quantity > 0)
      .map(([materialId, quantity]) => ({ materialId, quantity }));
    const placeId = chosenPlace === 'gps' || chosenPlace === 'none' ? null : chosenPlace;
    const body = {
      id: crypto.randomUUID(),
      occurredAt: occurredAt.toISOString(),
      placeId,
      position: chosenPlace === 'none' ? null : position,
      level: draft.level,
      outreachGiven: draft.outreachGiven,
      materials: lines,
      redFlags: draft.redFlags,
      action: draft.action,
      notes: draft.notes,
    };
    const handedOut = lines.reduce((sum, line) => sum + line.quantity, 0);
    const summary = `Inspection, Level ${draft.level}${handedOut ? `, ${handedOut} material` : ''}`;
    localStorage.setItem(lastLevelKey, draft.level);
    await enqueue('inspection', body, summary);
    clearDraft();
    navigate(paths.today, { state: { saved: summary } });
  }

  return (
    <>
      <h1>Log inspection</h1>
      {error && (
        <Alert type="error" role="alert">
          {error}
        </Alert>
      )}
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <label className="usa-label" htmlFor="occurredAt">
          When
        </label>
        <input
          className="usa-input"
          id="occurredAt"
          name="occurredAt"
          type="datetime-local"
          value={draft.occurredAt}
          onChange={(e) => update({ occurredAt: e.target.value })}
          required
        />

        <Fieldset legend="Where">
          {status && <p className="usa-hint">{status}</p>}
          {places.map((place) => (
            <Radio
              key={place.id}
              id={`place-${place.id}`}
              name="place"
              label={place.name}
              description={
                place.distanceKm === undefined ? undefined : `${place.distanceKm.toFixed(1)} km`
              }
              checked={chosenPlace === place.id}
              onChange={() => update({ place: place.id })}
              tile
            />
          ))}
          {position && (
            <Radio
              id="place-gps"
              name="place"
              label="None of these: keep my GPS point"
              checked={chosenPlace === 'gps'}
              onChange={() => update({ place: 'gps' })}
              tile
            />
          )}
          <Radio
            id="place-none"
            name="place"
            label="No place"
            checked={chosenPlace === 'none'}
            onChange={() => update({ place: 'none' })}
            tile
          />
        </Fieldset>

        <label className="usa-label" htmlFor="level">
          Inspection level
        </label>
        <select
          className="usa-select"
          id="level"
          name="level"
          value={draft.level}
          onChange={(e) => update({ level: e.target.value })}
        >
          {inspectionLevels.map((level) => (
            <option key={level.code} value={level.code}>
              {level.label}
            </option>
          ))}
        </select>

        <Fieldset legend="Outreach given">
          <Radio
            id="outreach-yes"
            name="outreachGiven"
            label="Yes"
            checked={draft.outreachGiven}
            onChange={() => update({ outreachGiven: true })}
          />
          <Radio
            id="outreach-no"
            name="outreachGiven"
            label="No"
            checked={!draft.outreachGiven}
            onChange={() => update({ outreachGiven: false })}
          />
        </Fieldset>

        <Fieldset legend="Material handed out">
          {(materials.data?.items ?? []).map((material) => {
            const quantity = draft.quantities[material.id] ?? 0;
            const inputId = `quantity-${material.id}`;
            return (
              <div key={material.id} className="stepper">
                <label htmlFor={inputId} className="usa-label stepper__label">
                  {material.name} ({material.language})
                  <span className="usa-hint display-block">
                    You carry {carried.get(material.id) ?? 0}
                  </span>
                </label>
                <div className="stepper__controls">
                  <button
                    className="usa-button usa-button--outline"
                    type="button"
                    aria-label={`One fewer ${material.name}`}
                    onClick={() => setQuantity(material.id, quantity - 1)}
                  >
                    −
                  </button>
                  <input
                    id={inputId}
                    name={inputId}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    className="usa-input stepper__input"
                    value={quantity}
                    onChange={(e) => setQuantity(material.id, Number(e.target.value) || 0)}
                  />
                  <button
                    className="usa-button usa-button--outline"
                    type="button"
                    aria-label={`One more ${material.name}`}
                    onClick={() => setQuantity(material.id, quantity + 1)}
                  >
                    +
                  </button>
                </div>
              </div>
            );
          })}
        </Fieldset>

        <Disclosure
          title={`Red flags${draft.redFlags.length ? ` (${draft.redFlags.length})` : ''}`}
          initiallyOpen={draft.redFlags.length > 0}
        >
          <Fieldset legend="Red flags seen" hideLegend>
            {redFlags.map((flag) => (
              <Checkbox
                key={flag.code}
                id={`flag-${flag.code}`}
                label={flag.label}
                checked={draft.redFlags.includes(flag.code)}
                onChange={(checked) =>
                  update({
                    redFlags: checked
                      ? [...draft.redFlags, flag.code]
                      : draft.redFlags.filter((c) => c !== flag.code),
                  })
                }
              />
            ))}
          </Fieldset>
        </Disclosure>

        <label className="usa-label" htmlFor="action">
          Action taken
        </label>
        <select
          className="usa-select"
          id="action"
          name="action"
          value={draft.action}
          onChange={(e) => update({ action: e.target.value })}
        >
          {actionsTaken.map((action) => (
            <option key={action.code} value={action.code}>
              {action.label}
            </option>
          ))}
        </select>

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
          value={draft.notes}
          maxLength={5000}
          onChange={(e) => update({ notes: e.target.value })}
        />

        <button type="submit" className="usa-button usa-button--big width-full">
          Save inspection
        </button>
      </form>
    </>
  );
}
