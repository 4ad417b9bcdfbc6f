import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      demo: { enabled: true, password: 'demo-password-milepost' },
      sessions: { idleTimeoutSeconds: 1800, maxLifetimeSeconds: 43_200 },
      trustProxy: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      MILEPOST_DATA_DIR: '/var/lib/milepost',
      DATABASE_URL: 'postgres://milepost@db.internal:5432/milepost',
      MILEPOST_DEMO: '0',
      MILEPOST_DEMO_PASSWORD: 'another-demo-password',
      MILEPOST_SESSION_IDLE_MINUTES: '10',
      MILEPOST_SESSION_MAX_HOURS: '8',
      MILEPOST_TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/lib/milepost',
      databaseUrl: 'postgres://milepost@db.internal:5432/milepost',
      demo: { enabled: false, password: 'another-demo-password' },
      sessions: { idleTimeoutSeconds: 600, maxLifetimeSeconds: 28_800 },
      trustProxy: true,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/milepost'],
    ['MILEPOST_DEMO', 'maybe'],
    ['MILEPOST_SESSION_IDLE_MINUTES', '-5'],
    ['MILEPOST_LOG_LEVEL', 'loud'],
  ])('names %s=%s as the problem', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(`${name}="${value}" is not valid`);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'abc', MILEPOST_DEMO: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split('=')[0])).toEqual([
        'PORT',
        'MILEPOST_DEMO',
      ]);
    }
  });
});
