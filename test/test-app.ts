import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '#server/app.ts';
import { type Config, loadConfig } from '#server/config.ts';
import { testPassword } from './factories.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { testSecrets } from './test-secrets.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  /** Signs in and returns the cookie header to send with later requests. */
  signIn(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config: Config = {
    ...loadConfig({ MILEPOST_SIGN_IN_RATE_LIMIT: '1000', MILEPOST_TIP_RATE_LIMIT: '1000' }),
    ...overrides,
  };
  const app = await buildApp({ database, config, secrets: testSecrets, logger: false });
  return {
    app,
    database,
    config,
    async signIn(email, password = testPassword) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password },
      });
      if (response.statusCode !== 200) {
        throw new Error(`sign-in as ${email} failed: ${response.statusCode} ${response.body}`);
      }
      return cookieFrom(response);
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export function cookieFrom(response: LightMyRequestResponse): string {
  const setCookie = response.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('the response set no cookie');
  return first.split(';')[0] ?? '';
}
