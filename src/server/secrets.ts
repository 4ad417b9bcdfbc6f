import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The keys that seal what tips say at rest (AES-256-GCM), and the secrets derived from them (the
 * signature of a public form, the daily salt of a client's hashed address). A database dump
 * alone reveals no tip: the keys live outside the database, in `MILEPOST_SECRET_KEY` or, on the
 * embedded engine, in a file of the data folder that only its owner may read.
 */
export interface Secrets {
  /** The id of the key new values are sealed under. */
  readonly currentKeyId: string;
  /**
   * Seals `text` under the current key, bound to `context` (the row and column it belongs in,
   * so that a sealed value moved elsewhere no longer opens): `m1.KEYID.IV.SEALED` (base64url).
   */
  seal(text: string, context: string): string;
  /** Opens a sealed value with whichever key of the ring sealed it. */
  open(sealed: string, context: string): string;
  /** Whether `sealed` is under the current key (else `milepost keys rotate` re-seals it). */
  isCurrent(sealed: string): boolean;
  /** A 32-byte key for one purpose, derived from the current key (HKDF-SHA-256). */
  derive(purpose: string): Buffer;
}

const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;

export class SecretsError extends Error {
  override name = 'SecretsError';
}

function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

/** A fresh key, as `MILEPOST_SECRET_KEY` and the key file hold it (base64). */
export function generateKey(): string {
  return crypto.randomBytes(keyBytes).toString('base64');
}

/** Reads a key as written by generateKey; says what is wrong with one that is not. */
export function parseKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== keyBytes || key.toString('base64') !== text.trim()) {
    throw new SecretsError(
      `a key must be ${keyBytes} bytes in base64 (as "milepost keys generate" prints)`,
    );
  }
  return key;
}

/** A key ring: the first key seals, every key opens what it sealed. */
export function createSecrets(keys: Buffer[]): Secrets {
  const [current] = keys;
  if (!current) throw new SecretsError('no key');
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]));
  const currentKeyId = keyIdOf(current);
  return {
    currentKeyId,
    seal(text, context) {
      const iv = crypto.randomBytes(ivBytes);
      const cipher = crypto.createCipheriv('aes-256-gcm', current, iv, {
        authTagLength: tagBytes,
      });
      cipher.setAAD(Buffer.from(context));
      const sealed = Buffer.concat([
        cipher.update(text, 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return `m1.${currentKeyId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, keyId, iv, body] = sealed.split('.');
      if (version !== 'm1' || !keyId || !iv || !body) throw new SecretsError('not a sealed value');
      const key = byId.get(keyId);
      if (!key) {
        throw new SecretsError(
          `sealed under key ${keyId}, which is not in the key ring (MILEPOST_SECRET_KEY or the key file)`,
        );
      }
      const bytes = Buffer.from(body, 'base64url');
      // NOTE: GCM takes tags of 4 to 16 bytes, and a decipher with no length pinned accepts
      // whatever the value holds: a sealed value cut short would carry a 4-byte tag, which a
      // forger guesses in 2^32 tries. Every value Milepost seals has a 16-byte tag.
      if (bytes.length < tagBytes) throw new SecretsError('the sealed value is cut short');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: tagBytes,
      });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - tagBytes)),
        decipher.final(),
      ]).toString('utf8');
    },
    isCurrent: (sealed) => sealed.split('.')[1] === currentKeyId,
    derive: (purpose) =>
      Buffer.from(crypto.hkdfSync('sha256', current, Buffer.alloc(0), `milepost ${purpose}`, 32)),
  };
}

/** Where the key ring comes from. */
export type KeySource =
  /** `MILEPOST_SECRET_KEY`: base64 keys separated by commas, the current one first. */
  | { kind: 'environment'; keys: string[] }
  /** A file of the data folder, a key a line, the current one first; made on first start. */
  | { kind: 'file'; file: string };

export const keyFileName = 'secret-keys';

/** The key ring of the configuration; on first start, makes the key file (owner only). */
export function loadSecrets(source: KeySource): Secrets {
  if (source.kind === 'environment') return createSecrets(source.keys.map(parseKey));
  if (!fs.existsSync(source.file)) writeKeyFile(source.file, [generateKey()]);
  return createSecrets(readKeyFile(source.file).map(parseKey));
}

export function readKeyFile(file: string): string[] {
  const stat = fs.statSync(file);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new SecretsError(
      `${file} may be read by others than its owner: run chmod 600 on it (it holds the keys of the tips)`,
    );
  }
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Writes the key file whole or not at all, readable by its owner alone. */
export function writeKeyFile(file: string, keys: string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const text = [
    '# Milepost: the keys that seal tips at rest, the current one first. Keep a copy somewhere',
    '# safe: without it, no sealed tip can be read again.',
    ...keys,
    '',
  ].join('\n');
  const fd = fs.openSync(partial, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
}
