import { createSHA256, type IHasher } from 'hash-wasm';
import { openUploadTail, sealUploadTail } from '../storage/upload-tail';

/**
 * The SHA-256 of a resumable upload's plaintext, carried from one PATCH to the next. A document's sha256 is
 * that of its whole plaintext, and a tus upload arrives in many requests (32 MiB each from the vault page), on
 * any instance: node:crypto's hash cannot be saved between them, so the running hash is hash-wasm's, whose
 * state can be. The state is saved after each stored part, when the hash has taken exactly the sealed segments
 * (a whole number of 64-byte blocks, so it holds no buffered plaintext), sealed like the tail: under a key
 * derived from the document's data key and bound to the upload and the number of bytes hashed.
 */
export interface TUploadHashState {
  uploadId: string;
  /** The plaintext bytes the hash has taken: the sealed segments, a multiple of 64 KiB. */
  hashedBytes: number;
}

const label = (uploadId: string) => `${uploadId}.sha256`;

/**
 * The hash to continue from: a fresh one for an upload with nothing sealed yet, the saved one otherwise.
 * Null for an upload begun before hashes were saved (parts stored, no state): completion then hashes the parts.
 */
export async function resumeUploadHash(
  dataKey: Buffer,
  upload: TUploadHashState & { sealedState: Buffer | null },
): Promise<IHasher | null> {
  const hasher = await createSHA256();
  if (upload.sealedState) {
    hasher.load(openUploadTail(dataKey, label(upload.uploadId), upload.hashedBytes, upload.sealedState));
    return hasher;
  }
  if (upload.hashedBytes > 0) return null;
  hasher.init();
  return hasher;
}

/** The state to store with the upload's offset once the part holding `hashedBytes` is stored. */
export function saveUploadHash(dataKey: Buffer, upload: TUploadHashState, hasher: IHasher): Buffer {
  return sealUploadTail(dataKey, label(upload.uploadId), upload.hashedBytes, Buffer.from(hasher.save()));
}
