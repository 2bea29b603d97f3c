import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IntegrityError } from './blob-store';
import { generateDataKey, generateMasterKey, parseMasterKey, unwrapDataKey, wrapDataKey } from './envelope';

const MASTER_KEY_ERROR = 'STORAGE_MASTER_KEY must be 32 bytes, base64-encoded';

describe('parseMasterKey', () => {
  it('accepts what generateMasterKey produces', () => {
    const value = generateMasterKey();
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseMasterKey(value).length).toBe(32);
    expect(generateMasterKey()).not.toBe(value);
  });

  it('accepts standard base64 with padding, and surrounding whitespace', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseMasterKey(` ${key.toString('base64url')}\n`).equals(key)).toBe(true);
  });

  it.each([
    { label: 'empty', value: '' },
    { label: '16 bytes', value: randomBytes(16).toString('base64') },
    { label: '31 bytes', value: randomBytes(31).toString('base64') },
    { label: '33 bytes', value: randomBytes(33).toString('base64') },
    { label: '64 bytes', value: randomBytes(64).toString('base64url') },
    { label: 'hex of 32 bytes', value: randomBytes(32).toString('hex') },
    { label: 'characters outside base64', value: `${randomBytes(32).toString('base64url').slice(0, 40)}!!!` },
  ])('rejects $label with a clear message', ({ value }) => {
    expect(() => parseMasterKey(value)).toThrow(MASTER_KEY_ERROR);
  });
});

describe('data key wrapping', () => {
  const masterKey = parseMasterKey(generateMasterKey());
  const storageKey = randomBytes(16).toString('hex');

  it('wraps as v1:<iv>:<ciphertext>:<tag> and unwraps to the same key', () => {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(masterKey, dataKey, storageKey);
    expect(wrapped).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(unwrapDataKey(masterKey, wrapped, storageKey).equals(dataKey)).toBe(true);
    expect(wrapDataKey(masterKey, dataKey, storageKey)).not.toBe(wrapped);
  });

  it('is bound to its storage key and master key', () => {
    const wrapped = wrapDataKey(masterKey, generateDataKey(), storageKey);
    expect(() => unwrapDataKey(masterKey, wrapped, randomBytes(16).toString('hex'))).toThrow(IntegrityError);
    expect(() => unwrapDataKey(parseMasterKey(generateMasterKey()), wrapped, storageKey)).toThrow(
      IntegrityError,
    );
  });

  it('refuses a wrapped key with any part altered', () => {
    const parts = wrapDataKey(masterKey, generateDataKey(), storageKey).split(':');
    for (const index of [1, 2, 3]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index] ?? '', 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      altered[index] = bytes.toString('base64');
      expect(() => unwrapDataKey(masterKey, altered.join(':'), storageKey)).toThrow(IntegrityError);
    }
  });

  it('refuses a master key of the wrong length as configuration, not as tampering', () => {
    expect(() => wrapDataKey(randomBytes(16), generateDataKey(), storageKey)).toThrow(MASTER_KEY_ERROR);
  });
});
