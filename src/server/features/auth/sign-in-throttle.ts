import crypto from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { SignInThrottlePolicy } from '../../config.ts';
import type { Secrets } from '../../secrets.ts';

export type ThrottleKind = 'pair' | 'account' | 'address';

export interface ThrottleKey {
  key: string;
  kind: ThrottleKind;
}

/** The client an attempt comes from: its address, and the device cookie it carries if any. */
export interface SignInClient {
  ip: string | null;
  deviceCookie: string | undefined;
}

/** The device cookie: tokens of the accounts this browser signed in to, newest first. */
export const deviceCookie = 'milepost_device';
/** Tokens one browser keeps: a shared car laptop serves several officers. */
const maxDeviceTokens = 5;
const nonceBytes = 16;
const macBytes = 16;
const tokenPattern = /^[\w-]{22}[\w-]{22}$/;

/**
 * How failed sign-ins are counted and answered (decision 0019). Wrong current passwords on a
 * password change count the same.
 *
 * - Per e-mail address and client, a client being a browser that signed in to that account
 *   before (its device token) or else an address: five consecutive failures lock that pair for
 *   15 minutes (423), the lockout CJIS asks for, of the account on that client alone.
 * - Per e-mail address over clients without a device token, and per address (without one):
 *   past a higher ceiling each further attempt waits a pause that doubles up to five minutes
 *   (429). Brute force stays bounded; a person on a browser they have signed in from before is
 *   never slowed by someone else's failures.
 *
 * Everything is keyed by the e-mail address typed, whether or not an account has it, so that an
 * unknown address is answered exactly as a known one.
 */
export class SignInThrottle {
  readonly #keyOfKeys: Buffer;
  readonly #deviceKey: Buffer;

  constructor(
    secrets: Secrets,
    readonly policy: SignInThrottlePolicy,
  ) {
    this.#keyOfKeys = secrets.derive('sign-in throttle');
    this.#deviceKey = secrets.derive('device cookie');
  }

  #hash(text: string): string {
    return crypto.createHmac('sha256', this.#keyOfKeys).update(text).digest('base64url');
  }

  #mac(email: string, nonce: string): string {
    return crypto
      .createHmac('sha256', this.#deviceKey)
      .update(`${email}\n${nonce}`)
      .digest()
      .subarray(0, macBytes)
      .toString('base64url');
  }

  /** The nonce of the cookie's token for this e-mail address, if it carries a valid one. */
  trustedDevice(email: string, cookie: string | undefined): string | undefined {
    let found: string | undefined;
    // Every token is checked, so the time taken says nothing of which one matched.
    for (const token of tokensOf(cookie)) {
      const nonce = token.slice(0, 22);
      const expected = Buffer.from(this.#mac(email, nonce));
      const given = Buffer.from(token.slice(22));
      if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
        found ??= nonce;
      }
    }
    return found;
  }

  /**
   * What an attempt is counted against: the pair of e-mail address and client (the device token
   * if the browser holds one for this address, else the address); without a token, also the
   * e-mail address over such clients, and the address itself.
   */
  keysFor(email: string, client: SignInClient, device: string | undefined): ThrottleKey[] {
    if (device) return [{ key: this.#hash(`pair\n${email}\ndevice\n${device}`), kind: 'pair' }];
    const address = client.ip ? normalizeIP(client.ip) : 'unknown';
    return [
      { key: this.#hash(`pair\n${email}\naddress\n${address}`), kind: 'pair' },
      { key: this.#hash(`account\n${email}`), kind: 'account' },
      { key: this.#hash(`address\n${address}`), kind: 'address' },
    ];
  }

  /**
   * The cookie to set after a successful sign-in: this browser's token for the e-mail address
   * first (the one it had, or a new one), then the others it holds, up to five.
   */
  deviceCookieAfterSignIn(email: string, cookie: string | undefined): string {
    const current = this.trustedDevice(email, cookie);
    const nonce = current ?? crypto.randomBytes(nonceBytes).toString('base64url');
    const mine = `${nonce}${this.#mac(email, nonce)}`;
    const others = tokensOf(cookie).filter((token) => token !== mine);
    return [mine, ...others].slice(0, maxDeviceTokens).join('.');
  }
}

function tokensOf(cookie: string | undefined): string[] {
  return (cookie ?? '')
    .split('.')
    .slice(0, maxDeviceTokens)
    .filter((token) => tokenPattern.test(token));
}
