import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '#db/client.ts';
import { prepareDataDir } from '#db/data-dir.ts';
import { buildApp } from './app.ts';
import { type Config, defaultDemoPassword, keySourceOf } from './config.ts';
import { describeDatabase, openConfiguredDatabase } from './database.ts';
import { demoUsers, loadDemoIfEmpty } from './features/demo/demo.service.ts';
import { loadReferencePack } from './features/statistics/statistics.service.ts';
import { purgeClosedTips } from './features/tips/tips.service.ts';
import { loadSecrets } from './secrets.ts';

export interface ServeOptions {
  /** Load the demo agency into an empty database first (what `npm start` does). */
  demoIfEmpty: boolean;
  command: string;
}

/**
 * Opens and migrates the database (adding the reference statistics it lacks), builds the app and listens until SIGTERM or SIGINT, then
 * stops taking requests, finishes those in flight and closes the database.
 */
export async function serve(config: Config, options: ServeOptions): Promise<FastifyInstance> {
  const keySource = keySourceOf(config);
  // The data folder is made its owner's before the key file or the database is written there,
  // so that nobody else can slip a file into it first.
  if (!config.databaseUrl || keySource.kind === 'file') prepareDataDir(config.dataDir);
  // The key ring first: a missing or unreadable key stops the start before anything else.
  const secrets = loadSecrets(keySource);
  const database = await openConfiguredDatabase(config, options.command, {
    // The embedded engine stopped on a full disk and cannot be reopened in this process: a
    // supervisor that starts Milepost again gets a fresh engine, which recovers every
    // acknowledged write from the folder.
    onUnrecoverable(message) {
      process.stderr.write(`milepost: ${message}\n`);
      process.exit(1);
    },
  });
  let app: FastifyInstance | undefined;
  try {
    await database.migrate();
    await loadReferencePack(database.db);
    const demoLoaded =
      options.demoIfEmpty && config.demo.enabled
        ? await loadDemoIfEmpty(database.db, config.demo.password)
        : false;
    app = await buildApp({ database, config, secrets });
    const address = await app.listen({ port: config.port, host: config.host });
    const purging = purgeTipsPeriodically(app, database);
    closeOnSignals(app, database, purging);
    printBanner(config, address, options.demoIfEmpty && config.demo.enabled, demoLoaded);
    return app;
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}

/** Hours between purges of closed tips past their agency's retention. */
const purgeIntervalMs = 6 * 3600_000;

/** Purges closed tips past retention now and every few hours, while the server runs. */
function purgeTipsPeriodically(app: FastifyInstance, database: DatabaseHandle): NodeJS.Timeout {
  const purge = async () => {
    try {
      const report = await purgeClosedTips(database.db, {
        dryRun: false,
        origin: { ip: null, userAgent: 'milepost serve', requestId: 'purge' },
      });
      if (report.purged > 0) app.log.info({ purged: report.purged }, 'purged closed tips');
    } catch (error) {
      app.log.error({ err: error }, 'the purge of closed tips failed; it runs again later');
    }
  };
  void purge();
  const timer = setInterval(purge, purgeIntervalMs);
  timer.unref();
  return timer;
}

function closeOnSignals(
  app: FastifyInstance,
  database: DatabaseHandle,
  purging: NodeJS.Timeout,
): void {
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    clearInterval(purging);
    app.log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    try {
      await app.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

function printBanner(config: Config, address: string, demo: boolean, demoLoaded: boolean): void {
  const browsable = address
    .replace('://0.0.0.0', '://localhost')
    .replace('://[::]', '://localhost');
  const lines = [
    '',
    `Milepost is serving at ${browsable}`,
    `  field app: ${browsable}/app/`,
    `  database: ${describeDatabase(config)}`,
    `  API documentation: ${browsable}/api/docs`,
  ];
  if (demo) {
    lines.push(
      `  demo agency's public page: ${browsable}/p/demo`,
      demoLoaded
        ? '  demo data loaded into the empty database'
        : '  demo sign-ins (if the demo agency is still there):',
      ...demoUsers.map((u) => `    ${u.email.padEnd(32)} ${u.role}`),
      `  password: ${config.demo.password === defaultDemoPassword ? defaultDemoPassword : '(as set in MILEPOST_DEMO_PASSWORD)'}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
