import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecrets, generateKey, loadSecrets, parseKey, SecretsError } from './secrets.ts';

describe('sealing', () => {
  const [a, b] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];

  it('opens what it sealed, in its context only', () => {
    const secrets = createSecrets([a]);
    const sealed = secrets.seal('Ford van, plate ABC1234', 'tip:1:content');
    expect(sealed).toMatch(/^m1\.[\w-]{8}\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('ABC1234');
    expect(secrets.open(sealed, 'tip:1:content')).toBe('Ford van, plate ABC1234');
    expect(() => secrets.open(sealed, 'tip:2:content')).toThrow();
    // The same text twice seals to different values: nothing to compare across rows.
    expect(secrets.seal('same', 'c')).not.toBe(secrets.seal('same', 'c'));
  });

  it('opens what any key of its ring sealed, and seals under the first', () => {
    const old = createSecrets([a]).seal('before', 'c');
    const ring = createSecrets([b, a]);
    expect(ring.open(old, 'c')).toBe('before');
    expect(ring.isCurrent(old)).toBe(false);
    expect(ring.isCurrent(ring.seal('after', 'c'))).toBe(true);
    expect(() => createSecrets([b]).open(old, 'c')).toThrow(/not in the key ring/);
  });

  it('refuses a value whose tag was cut short, or that is shorter than a tag', () => {
    const secrets = createSecrets([a]);
    const sealed = secrets.seal('Ford van', 'c');
    const [version, keyId, iv, body] = sealed.split('.');
    const bytes = Buffer.from(body ?? '', 'base64url');
    // The same ciphertext with its tag's last 12 bytes dropped: a 4-byte tag GCM would accept.
    const truncated = `${version}.${keyId}.${iv}.${bytes.subarray(0, bytes.length - 12).toString('base64url')}`;
    expect(() => secrets.open(truncated, 'c')).toThrow();
    for (const length of [0, 4, 15]) {
      const short = `${version}.${keyId}.${iv}.${bytes.subarray(0, length).toString('base64url')}`;
      expect(() => secrets.open(short, 'c')).toThrow();
    }
    // A right 4-byte tag of an empty text (what a forger finds in 2^32 tries) is refused too.
    const iv4 = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', a, iv4, { authTagLength: 4 });
    cipher.setAAD(Buffer.from('c'));
    const forged = Buffer.concat([cipher.update(''), cipher.final(), cipher.getAuthTag()]);
    expect(() =>
      secrets.open(`m1.${keyId}.${iv4.toString('base64url')}.${forged.toString('base64url')}`, 'c'),
    ).toThrow();
    expect(secrets.open(sealed, 'c')).toBe('Ford van');
  });

  it('reads only keys of 32 bytes in base64', () => {
    expect(parseKey(generateKey())).toHaveLength(32);
    expect(() => parseKey('c2hvcnQ=')).toThrow(SecretsError);
  });
});

describe('the key file', () => {
  it('is made on first use, for its owner alone, and refused once others may read it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-keys-'));
    try {
      const file = path.join(dir, 'secret-keys');
      const first = loadSecrets({ kind: 'file', file });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const again = loadSecrets({ kind: 'file', file });
      expect(again.currentKeyId).toBe(first.currentKeyId);
      fs.chmodSync(file, 0o644);
      expect(() => loadSecrets({ kind: 'file', file })).toThrow(/chmod 600/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
