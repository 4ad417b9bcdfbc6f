import { type FormEvent, useState } from 'react';
import { ApiError, OfflineError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { Alert } from '../../ui/alert.tsx';

/** Sign-in. Drafts of open forms are kept meanwhile, so signing in again loses nothing. */
export function SignInPage() {
  const { signIn, state } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(data.get('email')), String(data.get('password')));
    } catch (caught) {
      setError(
        caught instanceof OfflineError
          ? 'No network: you can sign in once you have signal again.'
          : caught instanceof ApiError
            ? caught.message
            : 'Sign-in failed.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <h1>Sign in to Milepost</h1>
      {state.status === 'signed-out' && state.reason === 'expired' && (
        <Alert type="info">
          Your session ended. Sign in again: what you were typing is still there.
        </Alert>
      )}
      {error && (
        <Alert type="error" role="alert">
          {error}
        </Alert>
      )}
      <form className="usa-form usa-form--large" onSubmit={(event) => void submit(event)}>
        <label className="usa-label" htmlFor="email">
          Email
        </label>
        <input
          className="usa-input"
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
        />
        <label className="usa-label" htmlFor="password">
          Password
        </label>
        <input
          className="usa-input"
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <button className="usa-button" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
