import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError } from './blob-store';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_VERSION = 'v1';

const MASTER_KEY_ERROR = 'STORAGE_MASTER_KEY must be 32 bytes, base64-encoded';

/** The master key from the environment: base64 or base64url of exactly 32 bytes. */
export function parseMasterKey(value: string): Buffer {
  const trimmed = value.trim();
  // Node's decoder silently skips characters outside the alphabet, so a typo would otherwise yield a different key.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error(MASTER_KEY_ERROR);
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(MASTER_KEY_ERROR);
  return key;
}

export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64url');
}

export function generateDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function assertMasterKey(masterKey: Buffer): void {
  if (masterKey.length !== KEY_BYTES) throw new Error(MASTER_KEY_ERROR);
}

/** Binding the wrap to the storage key means a wrapped key copied onto another document's row will not open. */
function wrapAad(storageKey: string): Buffer {
  return Buffer.from(`svd-data-key:${WRAP_VERSION}:${storageKey}`, 'utf8');
}

/** `v1:<iv>:<ciphertext>:<tag>`, each part base64; the version lets the master key or scheme change later. */
export function wrapDataKey(masterKey: Buffer, dataKey: Buffer, storageKey: string): string {
  assertMasterKey(masterKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(wrapAad(storageKey));
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64'));
  return [WRAP_VERSION, ...parts].join(':');
}

/** Throws IntegrityError for a wrong master key, a key wrapped for another blob, or a damaged value. */
export function unwrapDataKey(masterKey: Buffer, wrappedKey: string, storageKey: string): Buffer {
  assertMasterKey(masterKey);
  const [version, ...encoded] = wrappedKey.split(':');
  if (version !== WRAP_VERSION || encoded.length !== 3) throw new IntegrityError();
  const [iv, ciphertext, tag] = encoded.map((part) => Buffer.from(part, 'base64'));
  if (iv?.length !== IV_BYTES || ciphertext?.length !== KEY_BYTES || tag?.length !== TAG_BYTES) {
    throw new IntegrityError();
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(wrapAad(storageKey));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new IntegrityError();
  }
}
