import { createSecrets } from '#server/secrets.ts';

/** A key ring for tests: a fixed key, so that what one test seals another can open. */
export const testSecrets = createSecrets([Buffer.alloc(32, 7)]);
