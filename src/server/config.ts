import path from 'node:path';
import { z } from 'zod';
import { type KeySource, keyFileName } from './secrets.ts';

const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting Milepost reads from the environment, parsed once at start. Nothing else reads
 * `process.env`.
 */
export const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0)
    .max(65535)
    .default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  MILEPOST_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  MILEPOST_DEMO: booleanFlag.default(true),
  MILEPOST_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  MILEPOST_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  MILEPOST_SESSION_IDLE_MINUTES: positiveInt(30),
  MILEPOST_SESSION_MAX_HOURS: positiveInt(12),
  MILEPOST_SIGN_IN_RATE_LIMIT: positiveInt(120),
  MILEPOST_TRUST_PROXY: booleanFlag.default(false),
  /** Map tiles for the dashboard; `{z}/{x}/{y}` placeholders, https (or http on localhost). */
  MILEPOST_MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/[^/{}]+\/.*\{z\}.*\{x\}.*\{y\}/, 'must be a tile URL with {z}, {x} and {y}')
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MILEPOST_MAP_ATTRIBUTION: z.string().max(300).default('© OpenStreetMap contributors'),
  /**
   * The keys that seal tips at rest: base64 keys of 32 bytes (`milepost keys generate`),
   * separated by commas, the current one first. Unset: a key file in the data folder.
   */
  MILEPOST_SECRET_KEY: z
    .string()
    .transform((value) => value.split(',').map((key) => key.trim()))
    .refine(
      (keys) => keys.every((key) => Buffer.from(key, 'base64').length === 32),
      'must be base64 keys of 32 bytes, separated by commas (milepost keys generate)',
    )
    .optional(),
  /** Where the public reaches this server, for the QR codes of printed material. */
  MILEPOST_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Tips one client may send in 10 minutes, and an agency may receive in an hour. */
  MILEPOST_TIP_RATE_LIMIT: positiveInt(5),
  MILEPOST_TIP_AGENCY_RATE_LIMIT: positiveInt(300),
  /** A tip form sent sooner than this after it was shown is a robot's. */
  MILEPOST_TIP_MIN_FILL_SECONDS: z.coerce.number().min(0).max(600).default(3),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: { enabled: boolean; password: string };
  logLevel: Env['MILEPOST_LOG_LEVEL'];
  sessions: { idleTimeoutSeconds: number; maxLifetimeSeconds: number };
  /**
   * Sign-in attempts allowed per client address per minute, right or wrong: what bounds the
   * password hashing one address can ask for. Failures are counted apart (signInThrottle).
   */
  signInRateLimit: number;
  /** How failed sign-ins are counted and answered (decision 0019); not from the environment. */
  signInThrottle: SignInThrottlePolicy;
  trustProxy: boolean;
  /** The dashboard's map: where its tiles come from, and whom to credit. */
  map: { tileUrl: string; attribution: string };
  /** `MILEPOST_SECRET_KEY`'s keys, if set; else the key file of the data folder is used. */
  secretKeys: string[] | undefined;
  /** The public address of this server (no trailing slash), if set. */
  publicUrl: string | undefined;
  tips: { clientRateLimit: number; agencyRateLimit: number; minFillSeconds: number };
}

/**
 * How failed sign-ins (and wrong current passwords) are counted and answered; see
 * `features/auth/sign-in-throttle.ts` and decision 0019.
 */
export interface SignInThrottlePolicy {
  /** Consecutive failures of one e-mail address from one client that lock the pair. */
  pairLockAfter: number;
  pairLockMinutes: number;
  /** Failures of one e-mail address from clients without its device token before it slows. */
  accountSlowAfter: number;
  /** Failures from one address, by clients without a device token, before it slows. */
  addressSlowAfter: number;
  /** The longest pause a slowed account or address waits between attempts. */
  maxPauseSeconds: number;
  /** A count is forgotten this long after its last failure. */
  forgetMinutes: number;
}

export const defaultSignInThrottle: SignInThrottlePolicy = {
  pairLockAfter: 5,
  pairLockMinutes: 15,
  accountSlowAfter: 20,
  addressSlowAfter: 30,
  maxPauseSeconds: 300,
  forgetMinutes: 15,
};

export const defaultDemoPassword = 'demo-password-milepost';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Milepost cannot start: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Where the key ring of the tips comes from: the environment, else the data folder's file. */
export function keySourceOf(config: Config): KeySource {
  return config.secretKeys
    ? { kind: 'environment', keys: config.secretKeys }
    : { kind: 'file', file: path.join(config.dataDir, keyFileName) };
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}=${JSON.stringify(env[name] ?? '')} is not valid: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.MILEPOST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demo: { enabled: e.MILEPOST_DEMO, password: e.MILEPOST_DEMO_PASSWORD ?? defaultDemoPassword },
    logLevel: e.MILEPOST_LOG_LEVEL,
    sessions: {
      idleTimeoutSeconds: e.MILEPOST_SESSION_IDLE_MINUTES * 60,
      maxLifetimeSeconds: e.MILEPOST_SESSION_MAX_HOURS * 3600,
    },
    signInRateLimit: e.MILEPOST_SIGN_IN_RATE_LIMIT,
    signInThrottle: defaultSignInThrottle,
    trustProxy: e.MILEPOST_TRUST_PROXY,
    map: { tileUrl: e.MILEPOST_MAP_TILE_URL, attribution: e.MILEPOST_MAP_ATTRIBUTION },
    secretKeys: e.MILEPOST_SECRET_KEY,
    publicUrl: e.MILEPOST_PUBLIC_URL?.replace(/\/+$/, ''),
    tips: {
      clientRateLimit: e.MILEPOST_TIP_RATE_LIMIT,
      agencyRateLimit: e.MILEPOST_TIP_AGENCY_RATE_LIMIT,
      minFillSeconds: e.MILEPOST_TIP_MIN_FILL_SECONDS,
    },
  };
}
