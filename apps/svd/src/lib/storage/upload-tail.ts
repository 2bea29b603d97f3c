import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { IntegrityError } from './blob-store';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The tail key is derived from the document's data key rather than the data key itself: segments use
 * deterministic IVs (nonce prefix | index) under the data key, tails random ones, and keeping them under
 * different keys means the two IV schemes can never meet.
 */
function tailKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'svd-upload-tail-v1', 32));
}

/** Binds a tail to its upload and the offset it ends at, so a tail copied to another upload or offset fails. */
function tailAad(uploadId: string, endOffset: number): Buffer {
  return Buffer.from(`svd-upload-tail:v1:${uploadId}:${endOffset}`, 'utf8');
}

/**
 * A resumable upload's unfinished last segment (under 64 KiB of plaintext) is kept between requests in the
 * database, encrypted: `iv | ciphertext | tag`, AES-256-GCM. Nothing of a document is ever stored in clear.
 */
export function sealUploadTail(
  dataKey: Buffer,
  uploadId: string,
  endOffset: number,
  plaintext: Buffer,
): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', tailKey(dataKey), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(tailAad(uploadId, endOffset));
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Throws IntegrityError when the tail was altered or belongs to another upload or offset. */
export function openUploadTail(dataKey: Buffer, uploadId: string, endOffset: number, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new IntegrityError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', tailKey(dataKey), sealed.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(tailAad(uploadId, endOffset));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new IntegrityError();
  }
}
