import {
  createContext,
  type ReactNode,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useState,
} from 'react';
import type { Me } from '#shared/contracts/auth.ts';
import { ApiError, api, OfflineError } from './api.ts';

/**
 * Who is signed in. The last answer of /api/auth/me is kept in localStorage so that the app
 * still knows its officer offline, until the session's own expiry; the cookie itself is
 * HttpOnly and never seen here.
 */
type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'expired' }
  | { status: 'signed-in'; me: Me; offline: boolean };

interface Session {
  state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Called when the API answers 401: the session ended on the server. */
  expired(): void;
}

const storageKey = 'milepost.me';

/** Dispatched on window by anything that got a 401 from the API (the outbox, a form). */
export const unauthorizedEvent = 'milepost:unauthorized';
const SessionContext = createContext<Session | undefined>(undefined);

function remembered(): Me | undefined {
  try {
    const me = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Me | null;
    return me && new Date(me.session.expiresAt).getTime() > Date.now() ? me : undefined;
  } catch {
    return undefined;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const load = useCallback(async () => {
    try {
      const me = await api<Me>('GET', '/api/auth/me');
      localStorage.setItem(storageKey, JSON.stringify(me));
      // The first signed-in render draws the whole screen: as a transition, React does it in
      // slices that leave a phone free to answer a tap, instead of in one long task.
      startTransition(() => setState({ status: 'signed-in', me, offline: false }));
    } catch (error) {
      if (error instanceof OfflineError) {
        const me = remembered();
        setState(me ? { status: 'signed-in', me, offline: true } : { status: 'signed-out' });
        return;
      }
      if (error instanceof ApiError && error.status === 401) localStorage.removeItem(storageKey);
      setState({ status: 'signed-out' });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // The session may end on the server (idle timeout, sign-out elsewhere, deactivation): check
  // when the app comes back to the screen and now and then, and whenever a call answers 401.
  useEffect(() => {
    const check = async () => {
      try {
        await api<Me>('GET', '/api/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          localStorage.removeItem(storageKey);
          setState({ status: 'signed-out', reason: 'expired' });
        }
      }
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    const onUnauthorized = () => void check();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener(unauthorizedEvent, onUnauthorized);
    const timer = window.setInterval(() => void check(), 60_000);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener(unauthorizedEvent, onUnauthorized);
      window.clearInterval(timer);
    };
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      await api('POST', '/api/auth/login', { email, password });
      await load();
    },
    [load],
  );

  const signOut = useCallback(async () => {
    try {
      await api('POST', '/api/auth/logout');
    } finally {
      localStorage.removeItem(storageKey);
      setState({ status: 'signed-out' });
    }
  }, []);

  const expired = useCallback(() => {
    localStorage.removeItem(storageKey);
    setState({ status: 'signed-out', reason: 'expired' });
  }, []);

  return (
    <SessionContext.Provider value={{ state, signIn, signOut, expired }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person; only for screens behind the sign-in. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a session');
  return state.me;
}
