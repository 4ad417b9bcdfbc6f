import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { enqueue } from '../../lib/outbox.ts';
import { Alert } from '../../ui/alert.tsx';
import { Checkbox, Fieldset } from '../../ui/fields.tsx';
import {
  instantOf,
  MaterialSteppers,
  materialLines,
  nowLocal,
  PlaceField,
  Stepper,
  usePlaceChoice,
  WhenField,
} from '../entries/entry-fields.tsx';

interface Draft {
  occurredAt: string;
  place: string;
  drivers: number;
  staff: number;
  public: number;
  quantities: Record<string, number>;
  postersPutUp: number;
  managerEngaged: boolean;
  followUpOn: string;
  notes: string;
}

const fresh = (): Draft => ({
  occurredAt: nowLocal(),
  place: '',
  drivers: 0,
  staff: 0,
  public: 0,
  quantities: {},
  postersPutUp: 0,
  managerEngaged: false,
  followUpOn: '',
  notes: '',
});

/** A visit to a truck stop or travel plaza: who was reached, what was left, what comes next. */
export function LogVisitPage() {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Draft>('visit', fresh);
  const [error, setError] = useState<string | null>(null);
  const [placeSearch, setPlaceSearch] = useState('');
  const place = usePlaceChoice(draft.place, placeSearch);
  const update = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });

  async function save(event: FormEvent) {
    event.preventDefault();
    const occurredAt = instantOf(draft.occurredAt);
    if (!occurredAt) {
      setError('Give the date and time of the visit.');
      return;
    }
    const reached = { drivers: draft.drivers, staff: draft.staff, public: draft.public };
    const people = reached.drivers + reached.staff + reached.public;
    const placeName = place.places.find((p) => p.id === place.placeId)?.name;
    await enqueue(
      'outreach_visit',
      {
        id: crypto.randomUUID(),
        occurredAt,
        placeId: place.placeId,
        reached,
        materials: materialLines(draft.quantities),
        postersPutUp: draft.postersPutUp,
        managerEngaged: draft.managerEngaged,
        followUpOn: draft.followUpOn || null,
        notes: draft.notes,
      },
      `Visit${placeName ? ` to ${placeName}` : ''}, ${people} reached`,
    );
    clearDraft();
    navigate(paths.today);
  }

  return (
    <>
      <h1>Log visit</h1>
      {error && (
        <Alert type="error" role="alert">
          {error}
        </Alert>
      )}
      <form className="usa-form usa-form--large log-form" onSubmit={(event) => void save(event)}>
        <WhenField value={draft.occurredAt} onChange={(occurredAt) => update({ occurredAt })} />
        <PlaceField
          choice={place}
          onChoose={(chosen) => update({ place: chosen })}
          search={placeSearch}
          onSearch={setPlaceSearch}
        />
        <Fieldset legend="People reached">
          <Stepper
            id="reached-drivers"
            label="Drivers"
            value={draft.drivers}
            onChange={(drivers) => update({ drivers })}
          />
          <Stepper
            id="reached-staff"
            label="Staff"
            value={draft.staff}
            onChange={(staff) => update({ staff })}
          />
          <Stepper
            id="reached-public"
            label="Members of the public"
            value={draft.public}
            onChange={(count) => update({ public: count })}
          />
        </Fieldset>
        <MaterialSteppers
          quantities={draft.quantities}
          onChange={(quantities) => update({ quantities })}
        />
        <Stepper
          id="posters-put-up"
          label="Posters put up"
          value={draft.postersPutUp}
          onChange={(postersPutUp) => update({ postersPutUp })}
        />
        <Fieldset legend="Management" hideLegend>
          <Checkbox
            id="manager-engaged"
            label="Spoke with the manager"
            checked={draft.managerEngaged}
            onChange={(managerEngaged) => update({ managerEngaged })}
          />
        </Fieldset>
        <label className="usa-label" htmlFor="followUpOn">
          Follow up on (optional)
        </label>
        <input
          className="usa-input"
          id="followUpOn"
          type="date"
          value={draft.followUpOn}
          onChange={(e) => update({ followUpOn: e.target.value })}
        />
        <label className="usa-label" htmlFor="notes">
          Notes
        </label>
        <textarea
          className="usa-textarea"
          id="notes"
          value={draft.notes}
          maxLength={5000}
          onChange={(e) => update({ notes: e.target.value })}
        />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save visit
        </button>
      </form>
    </>
  );
}
