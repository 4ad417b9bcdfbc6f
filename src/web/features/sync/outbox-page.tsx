import { discard, enqueue, retry } from '../../lib/outbox.ts';
import { useOutbox } from '../../lib/outbox-hooks.ts';
import { Alert } from '../../ui/alert.tsx';

/** Entries not yet on the server, and what to do about each that was refused. */
export function OutboxPage() {
  const { entries } = useOutbox();
  return (
    <>
      <h1>Waiting to send</h1>
      {entries.length === 0 && <p>Everything you logged is on the server.</p>}
      <ul className="usa-list usa-list--unstyled">
        {entries.map((entry) => (
          <li key={entry.id} className="margin-bottom-3">
            <p className="margin-y-05 text-bold">{entry.summary}</p>
            <p className="margin-y-05">
              Saved on this device {new Date(entry.savedAt).toLocaleString()}
            </p>
            {entry.state === 'pending' && (
              <p className="margin-y-05">Will be sent when the network allows.</p>
            )}
            {entry.state !== 'pending' && (
              <Alert
                type={entry.state === 'conflict' ? 'warning' : 'error'}
                heading={
                  entry.state === 'conflict' ? 'Already on the server, differently' : 'Refused'
                }
              >
                {entry.error?.message}
                {entry.error?.fields.map((f) => (
                  <span key={f.field} className="display-block">
                    {f.field}: {f.message}
                  </span>
                ))}
                <span className="display-block margin-top-1">
                  {entry.state === 'conflict'
                    ? 'Another entry already used this entry’s id. Discard this copy, or send it again as a new entry.'
                    : 'Discard it, or try again once the problem is fixed.'}
                </span>
              </Alert>
            )}
            {entry.state !== 'pending' && (
              <div className="margin-top-1">
                <button
                  className="usa-button"
                  type="button"
                  onClick={() =>
                    void (entry.state === 'conflict'
                      ? enqueue(
                          entry.kind,
                          { ...entry.body, id: crypto.randomUUID() },
                          entry.summary,
                        ).then(() => discard(entry.id))
                      : retry(entry.id))
                  }
                >
                  {entry.state === 'conflict' ? 'Send as a new entry' : 'Try again'}
                </button>
                <button
                  className="usa-button usa-button--secondary"
                  type="button"
                  onClick={() => void discard(entry.id)}
                >
                  Discard
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
