import { useEffect, useState } from 'react';
import { lastSyncedAt, listOutbox, type OutboxEntry, subscribe } from './outbox.ts';
import { useMe } from './session.tsx';

/** The signed-in person's outbox as it is now, kept current; `loaded` once it has been read. */
export function useOutbox(): {
  entries: OutboxEntry[];
  lastSynced: string | null;
  loaded: boolean;
} {
  const me = useMe();
  const [state, setState] = useState<{
    entries: OutboxEntry[];
    lastSynced: string | null;
    loaded: boolean;
  }>({ entries: [], lastSynced: null, loaded: false });
  useEffect(() => {
    let live = true;
    const refresh = async () => {
      const [entries, lastSynced] = await Promise.all([listOutbox(), lastSyncedAt()]);
      if (live) {
        setState({
          entries: entries.filter((e) => e.userId === me.user.id),
          lastSynced,
          loaded: true,
        });
      }
    };
    void refresh();
    const unsubscribe = subscribe(() => void refresh());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [me.user.id]);
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
