import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { addressOf, milepost, type Running } from '../test/processes.ts';

export const chromiumPath = process.env.MILEPOST_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium, headless, with nothing reaching out to the network by itself. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** The same, keeping its profile (IndexedDB, cookies, service workers) in `userDataDir`. */
export function launchPersistentBrowser(
  userDataDir: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    ...options,
  });
}

export interface Server {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Milepost as `npm start` runs it, on a free port and a data folder of its own; `env` adds to
 * or overrides its environment.
 */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-e2e-'));
  const server: Running = milepost(['start'], {
    PORT: '0',
    MILEPOST_DATA_DIR: dataDir,
    // The tests sign in a dozen people a minute from one address; the default limit is 10.
    MILEPOST_SIGN_IN_RATE_LIMIT: '1000',
    // A tip form sent a second after it was shown is a quick person's, not a robot's.
    MILEPOST_TIP_MIN_FILL_SECONDS: '1',
    MILEPOST_TIP_RATE_LIMIT: '1000',
    ...env,
  });
  // NOTE: a first start migrates and loads the demo: on a busy machine, well over a minute.
  await server.waitFor(/Milepost is serving at/, 240_000);
  const baseUrl = await addressOf(server);
  return {
    baseUrl,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
