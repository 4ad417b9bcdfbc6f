import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { useDraft } from '../../lib/drafts.ts';
import { enqueue } from '../../lib/outbox.ts';
import { Alert } from '../../ui/alert.tsx';
import {
  instantOf,
  MaterialSteppers,
  materialLines,
  NotesField,
  nowLocal,
  PlaceField,
  usePlaceChoice,
  WhenField,
} from '../entries/entry-fields.tsx';
import { type VisitDetails, VisitFields } from './visit-fields.tsx';

interface Draft extends VisitDetails {
  occurredAt: string;
  place: string;
  quantities: Record<string, number>;
  notes: string;
}

const fresh = (): Draft => ({
  occurredAt: nowLocal(),
  place: '',
  reached: { drivers: 0, staff: 0, public: 0 },
  quantities: {},
  postersPutUp: 0,
  managerEngaged: false,
  followUpOn: null,
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
    const { reached } = draft;
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
        followUpOn: draft.followUpOn,
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
        <MaterialSteppers
          quantities={draft.quantities}
          onChange={(quantities) => update({ quantities })}
        />
        <VisitFields value={draft} onChange={update} />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />
        <button type="submit" className="usa-button usa-button--big width-full">
          Save visit
        </button>
      </form>
    </>
  );
}
