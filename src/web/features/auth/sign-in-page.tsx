import { Alert, Button, Form, Label, TextInput } from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { ApiError, OfflineError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';

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
        <Alert type="info" headingLevel="h2" slim>
          Your session ended. Sign in again: what you were typing is still there.
        </Alert>
      )}
      {error && (
        <Alert type="error" headingLevel="h2" slim role="alert">
          {error}
        </Alert>
      )}
      <Form onSubmit={(event) => void submit(event)} large>
        <Label htmlFor="email">Email</Label>
        <TextInput id="email" name="email" type="email" autoComplete="username" required />
        <Label htmlFor="password">Password</Label>
        <TextInput
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <Button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </Form>
    </div>
  );
}
