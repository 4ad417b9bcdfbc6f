import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { ApiError, api, OfflineError } from './api.ts';

/**
 * The outbox: every entry an officer makes is written here, in IndexedDB, before the screen
 * says "saved", then sent with its client-generated id when the network allows. It outlives
 * reloads, closed tabs and browser restarts. Sending the same id twice is harmless: the server
 * answers a replay with the stored record.
 */

export type EntryKind = 'inspection' | 'outreach_visit' | 'activity';

const endpoints: Record<EntryKind, string> = {
  inspection: '/api/inspections',
  outreach_visit: '/api/outreach-visits',
  activity: '/api/activities',
};

export interface OutboxEntry {
  /** Who made it: it is sent only while they are signed in, never under someone else's name. */
  userId: string;
  /** The record's own id for a create (generated on the device); `edit:<id>` for an edit. */
  id: string;
  kind: EntryKind;
  /** A new record (POST), or changes to one at the version the officer read (PATCH). */
  operation: 'create' | 'edit';
  recordId: string;
  body: Record<string, unknown>;
  /** What the officer sees in lists: "Inspection, Level III, 2 wallet cards". */
  summary: string;
  savedAt: string;
  attempts: number;
  /** Not before this time (ms since epoch): the back-off after a failed attempt. */
  nextAttemptAt: number;
  /** pending: will be sent; failed: refused, the officer must act; conflict: see `server`. */
  state: 'pending' | 'failed' | 'conflict';
  error?: { message: string; fields: { field: string; message: string }[] };
  /** The record as the server holds it, when it differs (a conflict). */
  server?: Record<string, unknown>;
}

interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: OutboxEntry };
  meta: { key: string; value: { key: string; value: string } };
}

let database: Promise<IDBPDatabase<OutboxSchema>> | undefined;
let signedInUser: string | null = null;

/** Who is signed in now; entries are made and sent as them alone. */
export function setOutboxUser(userId: string | null): void {
  signedInUser = userId;
  if (userId) void flush();
}
const open = () => {
  database ??= openDB<OutboxSchema>('milepost', 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' });
      db.createObjectStore('meta', { keyPath: 'key' });
    },
  });
  return database;
};

type Listener = () => void;
const listeners = new Set<Listener>();
const notify = () => {
  for (const listener of listeners) listener();
};

/** Calls `listener` whenever the outbox changes; returns the unsubscribe function. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function listOutbox(): Promise<OutboxEntry[]> {
  const entries = await (await open()).getAll('outbox');
  return entries.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export async function lastSyncedAt(): Promise<string | null> {
  return (await (await open()).get('meta', 'lastSyncedAt'))?.value ?? null;
}

/** Saves a new record durably (the IndexedDB transaction has completed) and starts sending. */
export async function enqueue(
  kind: EntryKind,
  body: { id: string } & Record<string, unknown>,
  summary: string,
) {
  await save({ id: body.id, kind, operation: 'create', recordId: body.id, body, summary });
}

/**
 * Saves changes to a record, with the version they were made to (`body.version`). A later edit
 * of the same record before this one is sent takes its place, its changes on top.
 */
export async function enqueueEdit(
  kind: EntryKind,
  recordId: string,
  body: { version: number } & Record<string, unknown>,
  summary: string,
) {
  const db = await open();
  const id = `edit:${recordId}`;
  const earlier = await db.get('outbox', id);
  const merged =
    earlier?.state === 'pending'
      ? { ...earlier.body, ...body, version: earlier.body.version }
      : body;
  await save({ id, kind, operation: 'edit', recordId, body: merged, summary });
}

async function save(
  entry: Pick<OutboxEntry, 'id' | 'kind' | 'operation' | 'recordId' | 'body' | 'summary'>,
) {
  if (!signedInUser) throw new Error('Nobody is signed in to make this entry.');
  const db = await open();
  await db.put('outbox', {
    ...entry,
    userId: signedInUser,
    savedAt: new Date().toISOString(),
    attempts: 0,
    nextAttemptAt: 0,
    state: 'pending',
  });
  notify();
  void flush();
}

/** Drops an entry the officer chose not to send (after a refusal or a conflict). */
export async function discard(id: string): Promise<void> {
  await (await open()).delete('outbox', id);
  notify();
}

/**
 * Puts a refused entry back in line, with other content if given: for an edit in conflict,
 * "keep mine" is the same changes made to the version the server holds now.
 */
export async function retry(id: string, body?: OutboxEntry['body']): Promise<void> {
  const db = await open();
  const entry = await db.get('outbox', id);
  if (!entry) return;
  const { error: _error, server: _server, ...rest } = entry;
  await db.put('outbox', {
    ...rest,
    body: body ?? entry.body,
    state: 'pending',
    nextAttemptAt: 0,
  });
  notify();
  void flush();
}

/** 2 s, 4 s, 8 s… up to five minutes, with jitter so that a squad does not retry in step. */
function backoff(attempts: number): number {
  const base = Math.min(300_000, 2_000 * 2 ** Math.min(attempts, 8));
  return base / 2 + Math.random() * (base / 2);
}

let flushing: Promise<void> | undefined;

/** Sends what is due, one entry at a time, oldest first. */
export function flush(): Promise<void> {
  flushing ??= sendDue().finally(() => {
    flushing = undefined;
  });
  return flushing;
}

async function sendDue(): Promise<void> {
  const db = await open();
  for (const entry of await listOutbox()) {
    if (entry.state !== 'pending' || entry.nextAttemptAt > Date.now()) continue;
    if (entry.userId !== signedInUser) continue;
    try {
      if (entry.operation === 'edit') {
        await api('PATCH', `${endpoints[entry.kind]}/${entry.recordId}`, entry.body);
      } else {
        await api('POST', endpoints[entry.kind], entry.body);
      }
      await db.delete('outbox', entry.id);
      await db.put('meta', { key: 'lastSyncedAt', value: new Date().toISOString() });
    } catch (error) {
      const attempts = entry.attempts + 1;
      if (error instanceof OfflineError || (error instanceof ApiError && error.status >= 500)) {
        await db.put('outbox', {
          ...entry,
          attempts,
          nextAttemptAt: Date.now() + backoff(attempts),
        });
        notify();
        // The network is gone or the server is struggling: the rest can wait too.
        return;
      }
      if (error instanceof ApiError && error.status === 401) {
        // Signed out: keep everything for after sign-in, and let the app ask for it.
        window.dispatchEvent(new Event('milepost:unauthorized'));
        notify();
        return;
      }
      const refusal = error instanceof ApiError ? error : undefined;
      const conflict = refusal?.status === 409 || refusal?.status === 412;
      // For an edit, what the server holds now, to set beside the officer's version.
      const server =
        conflict && entry.operation === 'edit'
          ? await api<Record<string, unknown>>(
              'GET',
              `${endpoints[entry.kind]}/${entry.recordId}`,
            ).catch(() => undefined)
          : undefined;
      await db.put('outbox', {
        ...entry,
        attempts,
        state: conflict ? 'conflict' : 'failed',
        error: {
          message: refusal?.message ?? String(error),
          fields: refusal?.fieldErrors ?? [],
        },
        ...(server ? { server } : {}),
      });
    }
    notify();
  }
}

/** A regained connection is worth trying at once, whatever the back-off said. */
async function sendNow(): Promise<void> {
  const db = await open();
  for (const entry of await listOutbox()) {
    if (entry.state === 'pending' && entry.nextAttemptAt > 0) {
      await db.put('outbox', { ...entry, nextAttemptAt: 0 });
    }
  }
  await flush();
}

/** Sends on reconnection, on a timer for back-offs, and when the tab comes back. */
export function startSync(): () => void {
  const kick = () => void flush();
  const online = () => void sendNow();
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', kick);
  const timer = window.setInterval(kick, 15_000);
  kick();
  return () => {
    window.removeEventListener('online', online);
    document.removeEventListener('visibilitychange', kick);
    window.clearInterval(timer);
  };
}
