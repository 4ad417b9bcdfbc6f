import { useEffect, useState } from 'react';
import { lastSyncedAt, listOutbox, type OutboxEntry, subscribe } from './outbox.ts';

/** The outbox as it is now, kept current. */
export function useOutbox(): { entries: OutboxEntry[]; lastSynced: string | null } {
  const [state, setState] = useState<{ entries: OutboxEntry[]; lastSynced: string | null }>({
    entries: [],
    lastSynced: null,
  });
  useEffect(() => {
    let live = true;
    const refresh = async () => {
      const [entries, lastSynced] = await Promise.all([listOutbox(), lastSyncedAt()]);
      if (live) setState({ entries, lastSynced });
    };
    void refresh();
    const unsubscribe = subscribe(() => void refresh());
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return state;
}

/** Whether the browser believes it is online, kept current. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
