import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '#db/client.ts';
import { buildApp } from './app.ts';
import { type Config, defaultDemoPassword } from './config.ts';
import { describeDatabase, openConfiguredDatabase } from './database.ts';
import { demoUsers, loadDemoIfEmpty } from './features/demo/demo.service.ts';
import { loadReferencePack } from './features/statistics/statistics.service.ts';

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
  const database = await openConfiguredDatabase(config, options.command);
  let app: FastifyInstance | undefined;
  try {
    await database.migrate();
    await loadReferencePack(database.db);
    const demoLoaded =
      options.demoIfEmpty && config.demo.enabled
        ? await loadDemoIfEmpty(database.db, config.demo.password)
        : false;
    app = await buildApp({ database, config });
    const address = await app.listen({ port: config.port, host: config.host });
    closeOnSignals(app, database);
    printBanner(config, address, options.demoIfEmpty && config.demo.enabled, demoLoaded);
    return app;
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}

function closeOnSignals(app: FastifyInstance, database: DatabaseHandle): void {
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
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
      demoLoaded
        ? '  demo data loaded into the empty database'
        : '  demo sign-ins (if the demo agency is still there):',
      ...demoUsers.map((u) => `    ${u.email.padEnd(32)} ${u.role}`),
      `  password: ${config.demo.password === defaultDemoPassword ? defaultDemoPassword : '(as set in MILEPOST_DEMO_PASSWORD)'}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
