import { createHash, randomBytes } from 'node:crypto';
import { addAbortSignal, Readable } from 'node:stream';
import { FileTooLargeError, type TBlobStore } from './blob-store';
import { deleteBlob } from './delete-blob';
import { generateDataKey, unwrapDataKey, wrapDataKey } from './envelope';
import { openBlob } from './open-blob';
import { rethrowAfterCleanup } from './rethrow-after-cleanup';
import { decryptSegments, encryptSegments } from './segmented-cipher';

export interface TStoredObject {
  storageKey: string;
  /** The document's data key wrapped under the master key: `v1:<iv>:<ciphertext>:<tag>`, base64 parts. */
  wrappedKey: string;
  /** Plaintext size. */
  sizeBytes: number;
  /** Hex SHA-256 of the plaintext. */
  sha256: string;
}

/** 128 random bits: nothing about the document or its owner can be read from, or steer, where it is stored. */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Encrypts `source` on the fly into `store` under a fresh data key. Plaintext bytes are counted as they stream;
 * once more than `maxBytes` arrive the upload stops, anything written is deleted and FileTooLargeError is thrown.
 * Memory is bounded by a segment plus the store's buffer, never the file. If the upload fails (the limit, `signal`
 * aborting with its AbortError, a source or store error) `source` is destroyed and nothing is left in the store.
 * That cleanup goes through `discard` when given (a caller that records blobs it could not delete); without it a
 * failed cleanup is thrown together with the upload's own error.
 */
export async function storeEncrypted(
  store: TBlobStore,
  masterKey: Buffer,
  source: Readable,
  options: {
    maxBytes: number;
    signal?: AbortSignal;
    storageKey?: string;
    /**
     * Instead of a fresh data key: for a blob that several writers may write at once under one storage key (a
     * thumbnail), each deriving the same key, so whichever write lands last opens with whichever wrap is kept.
     */
    dataKey?: Buffer;
    discard?: (storageKey: string) => Promise<unknown>;
  },
): Promise<TStoredObject> {
  // A caller may draw the key beforehand (newStorageKey) to record it before any byte is written, so a blob
  // orphaned by a crash mid-upload can still be found and deleted.
  const storageKey = options.storageKey ?? newStorageKey();
  const dataKey = options.dataKey ?? generateDataKey();
  // Wrapped before any input is read, so a misconfigured master key fails before the upload is consumed.
  const wrappedKey = wrapDataKey(masterKey, dataKey, storageKey);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  if (options.signal) addAbortSignal(options.signal, source);

  const measure = (bytes: Buffer) => {
    sizeBytes += bytes.length;
    if (sizeBytes > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
    hash.update(bytes);
  };

  try {
    await store.put(
      storageKey,
      Readable.from(encryptSegments(source, dataKey, measure), { objectMode: false }),
    );
  } catch (error) {
    // A store leaves nothing behind when put fails, but a commit can succeed remotely and still fail here
    // (a timed-out CompleteMultipartUpload), so the key is deleted regardless.
    const discard = options.discard ?? ((key: string) => store.delete(key));
    return rethrowAfterCleanup(error, () => discard(storageKey), `deleting the partial blob ${storageKey}`);
  }
  return { storageKey, wrappedKey, sizeBytes, sha256: hash.digest('hex') };
}

/**
 * Proves the whole blob intact, then returns a stream of its plaintext. This reads the blob twice: a verify pass
 * that checks every segment and discards the plaintext, then the decrypt pass the caller consumes. That doubles
 * download I/O and CPU, but bytes sent to a browser cannot be taken back, and buffering the plaintext instead
 * would hold whole files in memory. The second pass still checks every tag, so a blob altered between the passes
 * ends the stream with IntegrityError rather than delivering altered bytes.
 *
 * Throws IntegrityError (wrong master key, key wrapped for another blob, any damage) or BlobNotFoundError.
 */
export async function openDecrypted(
  store: TBlobStore,
  masterKey: Buffer,
  object: { storageKey: string; wrappedKey: string },
): Promise<Readable> {
  const dataKey = unwrapDataKey(masterKey, object.wrappedKey, object.storageKey);
  for await (const _verified of decryptSegments(await openBlob(store, object.storageKey), dataKey)) {
    // Discarded: this pass only proves the blob intact.
  }
  return Readable.from(decryptSegments(await openBlob(store, object.storageKey), dataKey), {
    objectMode: false,
  });
}

/**
 * The plaintext of a blob for a download: each segment is released as soon as its tag is checked, so the first
 * bytes leave after one segment (64 KiB) whatever the file's size, and the blob is read once. The header and the
 * first segment are checked before this returns, so a wrong key, a foreign or damaged header, a damaged first
 * segment or a missing blob still fail as IntegrityError / BlobNotFoundError before any byte is sent. Damage
 * further on (a bad, missing, reordered or appended segment, a blob cut at a segment boundary) errors the stream
 * at that segment: nothing of it or after it is released, and the server destroys the response (Next.js aborts
 * its writer with res.destroy), so the client's read fails whatever the framing, instead of ending as a shorter
 * file. Callers that must know the whole blob is intact before using any of it (text extraction) use
 * openDecrypted.
 */
export async function streamDecrypted(
  store: TBlobStore,
  masterKey: Buffer,
  object: { storageKey: string; wrappedKey: string },
): Promise<Readable> {
  const dataKey = unwrapDataKey(masterKey, object.wrappedKey, object.storageKey);
  const segments = decryptSegments(await openBlob(store, object.storageKey), dataKey);
  const first = await segments.next();
  async function* released(): AsyncGenerator<Buffer> {
    if (first.done) return;
    yield first.value;
    yield* segments;
  }
  return Readable.from(released(), { objectMode: false });
}

export function deleteStored(store: TBlobStore, storageKey: string): Promise<void> {
  return deleteBlob(store, storageKey);
}
