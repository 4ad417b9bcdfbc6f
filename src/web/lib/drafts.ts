import { useEffect, useState } from 'react';
import { useMe } from './session.tsx';

/**
 * Form state kept in localStorage as it is typed, so that nothing typed is lost when the
 * session ends, the tab reloads or the phone kills the browser. Cleared once the entry is
 * saved to the outbox.
 */
export function useDraft<T>(key: string, initial: () => T): [T, (next: T) => void, () => void] {
  // Each person's own: a colleague signing in on the same phone does not inherit a draft.
  const storageKey = `milepost.draft.${useMe().user.id}.${key}`;
  const [value, setValue] = useState<T>(() => {
    const stored = localStorage.getItem(storageKey);
    if (stored) {
      try {
        return { ...initial(), ...(JSON.parse(stored) as T) };
      } catch {
        // A draft from an older version of the form: start afresh.
      }
    }
    return initial();
  });
  useEffect(() => {
    localStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  const clear = () => {
    localStorage.removeItem(storageKey);
    setValue(initial());
  };
  return [value, setValue, clear];
}
