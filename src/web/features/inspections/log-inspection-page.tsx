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
import { LevelAndOutreachFields, RedFlagsAndActionFields } from './inspection-fields.tsx';

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

/**
 * Logging a roadside inspection in a few taps: the time is now, the place the nearest known
 * one, the level the last used, outreach given. Saved to the outbox first, sent when possible.
 */
export function LogInspectionPage() {
  const navigate = useNavigate();
  const [draft, setDraft, clearDraft] = useDraft<Draft>('inspection', fresh);
  const [error, setError] = useState<string | null>(null);
  const [placeSearch, setPlaceSearch] = useState('');
  const place = usePlaceChoice(draft.place, placeSearch);
  const update = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });

  async function save(event: FormEvent) {
    event.preventDefault();
    const occurredAt = instantOf(draft.occurredAt);
    if (!occurredAt) {
      setError('Give the date and time of the inspection.');
      return;
    }
    const lines = materialLines(draft.quantities);
    const body = {
      id: crypto.randomUUID(),
      occurredAt,
      placeId: place.placeId,
      position: place.choice === 'none' ? null : place.position,
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
        <WhenField value={draft.occurredAt} onChange={(occurredAt) => update({ occurredAt })} />
        <PlaceField
          choice={place}
          onChoose={(chosen) => update({ place: chosen })}
          search={placeSearch}
          onSearch={setPlaceSearch}
        />

        <LevelAndOutreachFields value={draft} onChange={update} />

        <MaterialSteppers
          quantities={draft.quantities}
          onChange={(quantities) => update({ quantities })}
        />

        <RedFlagsAndActionFields value={draft} onChange={update} />
        <NotesField value={draft.notes} onChange={(notes) => update({ notes })} />

        <button type="submit" className="usa-button usa-button--big width-full">
          Save inspection
        </button>
      </form>
    </>
  );
}
