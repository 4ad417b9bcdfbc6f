import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { formatTime } from '../../lib/format.ts';
import { useOnline, useOutbox } from '../../lib/outbox-hooks.ts';

/**
 * Always on screen: whether the device is online, how many entries wait to be sent, when the
 * last one went, and a link to any that need the officer.
 */
export function SyncStatus() {
  const online = useOnline();
  const { entries, lastSynced, loaded } = useOutbox();
  const pending = entries.filter((e) => e.state === 'pending').length;
  const needsAction = entries.length - pending;
  return (
    <section
      className={`sync-status ${needsAction > 0 ? 'sync-status--alert' : ''}`}
      aria-label="Sync status"
      data-testid="sync-status"
    >
      <span className="sync-status__item">{online ? 'Online' : 'Offline'}</span>
      <span className="sync-status__item" data-testid="pending-count">
        {!loaded
          ? 'Checking what waits…'
          : entries.length === 0
            ? 'All sent'
            : `${pending} waiting to send`}
      </span>
      {lastSynced && <span className="sync-status__item">Last sent {formatTime(lastSynced)}</span>}
      {needsAction > 0 && (
        <Link className="sync-status__item" to={paths.outbox}>
          {needsAction} need{needsAction === 1 ? 's' : ''} your attention
        </Link>
      )}
    </section>
  );
}
