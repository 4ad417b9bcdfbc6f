import { type ExecProtocolOptions, PGlite } from '@electric-sql/pglite';
import { hasRoomToWrite } from './data-dir.ts';
import {
  classifyStorageError,
  DatabaseStoppedError,
  describeStorageFailure,
  type StorageFailure,
} from './errors.ts';

/**
 * The embedded engine over a data folder, kept answering through a full or read-only disk.
 *
 * What PGlite does when its disk fills (PGlite 0.5, measured on a small tmpfs):
 * - a table or index that cannot grow fails its statement (SQLSTATE 53100, severity ERROR); the
 *   transaction rolls back and the engine goes on, writing again once there is room;
 * - a write-ahead log segment that cannot be made is a PANIC: that statement fails, and the next
 *   one sent to the same instance never returns, spinning a core inside the engine with the
 *   event loop blocked. Every acknowledged transaction is in the log already, so a new instance
 *   on the same folder recovers them all, as PostgreSQL does after a crash; it cannot start
 *   while the disk is still full.
 *
 * So a PANIC stops the instance here (every statement gets `DatabaseStoppedError` at once), and
 * once the data folder has room again a new instance replaces it. Should that fail three times
 * with room to spare, `onUnrecoverable` says why (the server exits, for its supervisor to start
 * it again).
 */
export interface StorageProblem {
  kind: StorageFailure['kind'];
  /** In words, for a person. */
  detail: string;
  since: Date;
  /** The engine is stopped until it can be reopened (nothing is served, reads included). */
  engineStopped: boolean;
}

export interface EmbeddedEngineOptions {
  /** Called once if the engine stopped and cannot be reopened. */
  onUnrecoverable?: (message: string) => void;
}

const checkEveryMs = 1000;
const reopenAttempts = 3;

/**
 * PGlite that refuses every statement once one ended in a PANIC or FATAL error, instead of
 * handing the next one to an engine that will never answer it.
 */
class StoppablePGlite extends PGlite {
  failure: StorageFailure | null = null;

  override execProtocolRawSync(message: Uint8Array): Uint8Array {
    if (this.failure) throw new DatabaseStoppedError(this.failure);
    return super.execProtocolRawSync(message);
  }

  override async execProtocolStream(message: Uint8Array, options?: ExecProtocolOptions) {
    try {
      return await super.execProtocolStream(message, options);
    } catch (error) {
      this.stopIfFatal(error);
      throw error;
    }
  }

  override async execProtocol(message: Uint8Array, options?: ExecProtocolOptions) {
    try {
      return await super.execProtocol(message, options);
    } catch (error) {
      this.stopIfFatal(error);
      throw error;
    }
  }

  private stopIfFatal(error: unknown): void {
    const severity = (error as { severity?: unknown }).severity;
    if (this.failure || (severity !== 'PANIC' && severity !== 'FATAL')) return;
    this.failure = classifyStorageError(error) ?? { kind: 'unavailable', code: String(severity) };
  }
}

export class EmbeddedEngine {
  #current: StoppablePGlite;
  #problem: StorageProblem | null = null;
  #timer: NodeJS.Timeout | null = null;
  #checking = false;
  #failedReopens = 0;
  #closed = false;

  private constructor(
    private readonly dataDir: string,
    private readonly engineDir: string,
    first: StoppablePGlite,
    private readonly options: EmbeddedEngineOptions,
  ) {
    this.#current = first;
  }

  /** Opens PGlite in `engineDir`; `dataDir` (its parent) is the folder whose room is watched. */
  static async open(
    dataDir: string,
    engineDir: string,
    options: EmbeddedEngineOptions = {},
  ): Promise<EmbeddedEngine> {
    const first = new StoppablePGlite(engineDir);
    await first.waitReady;
    return new EmbeddedEngine(dataDir, engineDir, first, options);
  }

  /**
   * What Drizzle and COPY talk to: PGlite's `query`, `exec` and `transaction`, sent to the
   * instance of the moment, noting any storage failure on the way.
   */
  readonly client = {
    query: ((...args: Parameters<PGlite['query']>) =>
      this.#run((pg) => pg.query(...args))) as PGlite['query'],
    exec: ((...args: Parameters<PGlite['exec']>) =>
      this.#run((pg) => pg.exec(...args))) as PGlite['exec'],
    transaction: ((...args: Parameters<PGlite['transaction']>) =>
      this.#run((pg) => pg.transaction(...args))) as PGlite['transaction'],
  };

  /** The instance of the moment (tests dump it). */
  get pglite(): PGlite {
    return this.#current;
  }

  readStorageProblem(): StorageProblem | null {
    return this.#problem;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    // A stopped instance refuses the goodbye it is sent and closes its files all the same.
    await this.#current.close().catch(() => {});
  }

  async #run<T>(work: (pg: StoppablePGlite) => Promise<T>): Promise<T> {
    const pg = this.#current;
    if (pg.failure) throw new DatabaseStoppedError(pg.failure);
    try {
      return await work(pg);
    } catch (error) {
      const failure = pg.failure ?? classifyStorageError(error);
      if (failure) this.#noteFailure(failure, pg.failure !== null);
      throw error;
    }
  }

  #noteFailure(failure: StorageFailure, engineStopped: boolean): void {
    const since = this.#problem?.since ?? new Date();
    this.#problem = {
      kind: failure.kind,
      detail: describeStorageFailure(failure.kind),
      since,
      engineStopped: engineStopped || (this.#problem?.engineStopped ?? false),
    };
    if (!this.#timer && !this.#closed) {
      this.#timer = setInterval(() => void this.#check(), checkEveryMs);
      this.#timer.unref();
    }
  }

  /** Once the folder has room again: reopens a stopped engine, or calls the disk healthy. */
  async #check(): Promise<void> {
    if (this.#checking || this.#closed || !this.#problem) return;
    if (!hasRoomToWrite(this.dataDir)) return;
    this.#checking = true;
    try {
      if (this.#current.failure) await this.#reopen();
      else this.#recovered();
    } finally {
      this.#checking = false;
    }
  }

  async #reopen(): Promise<void> {
    const stopped = this.#current;
    let next: StoppablePGlite | null = null;
    try {
      next = new StoppablePGlite(this.engineDir);
      await next.waitReady;
    } catch (error) {
      this.#failedReopens += 1;
      if (this.#failedReopens >= reopenAttempts) {
        if (this.#timer) clearInterval(this.#timer);
        this.options.onUnrecoverable?.(
          `the embedded database in ${this.dataDir} stopped (${this.#problem?.detail}) and ` +
            `could not be reopened ${reopenAttempts} times with room on its disk: ` +
            `${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return;
    }
    if (this.#closed) {
      await next.close();
      return;
    }
    this.#current = next;
    // The stopped instance is never sent a statement again; its files are closed from here.
    await stopped.fs?.closeFs().catch(() => {});
    this.#recovered();
  }

  #recovered(): void {
    this.#problem = null;
    this.#failedReopens = 0;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
