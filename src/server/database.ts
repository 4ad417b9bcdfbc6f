import { type DatabaseHandle, openDatabase } from '#db/client.ts';
import type { EmbeddedEngineOptions } from '#db/embedded-engine.ts';
import type { Config } from './config.ts';

/**
 * Opens the database the configuration names: the PostgreSQL server at DATABASE_URL, or the
 * embedded engine in MILEPOST_DATA_DIR, which `command` then holds until it closes.
 */
export function openConfiguredDatabase(
  config: Config,
  command: string,
  embedded: EmbeddedEngineOptions = {},
): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? openDatabase({ engine: 'postgres', url: config.databaseUrl })
    : openDatabase({ engine: 'pglite', dataDir: config.dataDir, command, ...embedded });
}

export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
