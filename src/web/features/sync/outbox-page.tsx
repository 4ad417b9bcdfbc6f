import { formatDateTime } from '../../lib/format.ts';
import { discard, enqueue, type OutboxEntry, retry } from '../../lib/outbox.ts';
import { useOutbox } from '../../lib/outbox-hooks.ts';
import { Alert } from '../../ui/alert.tsx';

const shown = (value: unknown) =>
  Array.isArray(value) ? value.join(', ') || '(none)' : value === '' ? '(empty)' : String(value);

/** An edit the server refused because someone changed the record first: both, side by side. */
function EditConflict({ entry }: { entry: OutboxEntry }) {
  const server = entry.server ?? {};
  const fields = Object.keys(entry.body).filter((key) => key !== 'version');
  return (
    <>
      <Alert type="warning" heading="Changed by someone else meanwhile">
        Nothing was overwritten. Choose which version to keep.
      </Alert>
      <table className="usa-table usa-table--compact width-full">
        <caption>Your changes and the record as it is now</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Yours</th>
            <th scope="col">Now on the server</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => (
            <tr key={field}>
              <th scope="row">{field}</th>
              <td>{shown(entry.body[field])}</td>
              <td>{shown(server[field])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        className="usa-button"
        type="button"
        disabled={typeof server.version !== 'number'}
        onClick={() => void retry(entry.id, { ...entry.body, version: server.version })}
      >
        Keep mine
      </button>
      <button
        className="usa-button usa-button--secondary"
        type="button"
        onClick={() => void discard(entry.id)}
      >
        Keep the server's
      </button>
    </>
  );
}

/** A new entry the server refused, or whose id another entry already took. */
function Refused({ entry }: { entry: OutboxEntry }) {
  const conflict = entry.state === 'conflict';
  return (
    <>
      <Alert
        type={conflict ? 'warning' : 'error'}
        heading={conflict ? 'Already on the server, differently' : 'Refused'}
      >
        {entry.error?.message}
        {entry.error?.fields.map((f) => (
          <span key={f.field} className="display-block">
            {f.field}: {f.message}
          </span>
        ))}
        <span className="display-block margin-top-1">
          {conflict
            ? 'Another entry already used this entry’s id. Discard this copy, or send it again as a new entry.'
            : 'Discard it, or try again once the problem is fixed.'}
        </span>
      </Alert>
      <button
        className="usa-button"
        type="button"
        onClick={() =>
          void (conflict
            ? enqueue(entry.kind, { ...entry.body, id: crypto.randomUUID() }, entry.summary).then(
                () => discard(entry.id),
              )
            : retry(entry.id))
        }
      >
        {conflict ? 'Send as a new entry' : 'Try again'}
      </button>
      <button
        className="usa-button usa-button--secondary"
        type="button"
        onClick={() => void discard(entry.id)}
      >
        Discard
      </button>
    </>
  );
}

/** Entries not yet on the server, and what to do about each that was refused. */
export function OutboxPage() {
  const { entries } = useOutbox();
  return (
    <>
      <h1>Waiting to send</h1>
      {entries.length === 0 && <p>Everything you logged is on the server.</p>}
      <ul className="usa-list usa-list--unstyled">
        {entries.map((entry) => (
          <li key={entry.id} className="margin-bottom-4">
            <h2 className="font-sans-md margin-y-05">{entry.summary}</h2>
            <p className="margin-y-05">Saved on this device {formatDateTime(entry.savedAt)}</p>
            {entry.state === 'pending' && (
              <p className="margin-y-05">Will be sent when the network allows.</p>
            )}
            {entry.state === 'conflict' && entry.operation === 'edit' ? (
              <EditConflict entry={entry} />
            ) : (
              entry.state !== 'pending' && <Refused entry={entry} />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
