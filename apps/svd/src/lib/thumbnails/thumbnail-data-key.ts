import { hkdfSync } from 'node:crypto';
import { unwrapDataKey } from '../storage/envelope';
import { thumbnailStorageKey } from './thumbnail-storage-key';

/**
 * The data key of a document blob's thumbnail, derived (HKDF-SHA-256) from that blob's own data key and the
 * thumbnail's storage key, instead of drawn at random. Two thumbnail jobs for one document may run at the same
 * instant and both write the one thumbnail key: with random keys the blob of one and the recorded wrap of the
 * other could be kept, a thumbnail nobody can decrypt. Derived, every write of that key is sealed under the same
 * data key (each with its own random nonce prefix in its header, so no nonce repeats), and any recorded wrap
 * opens whichever blob landed last. The key is still the thumbnail's own: it opens nothing else, and telling it
 * says nothing of the document's key.
 */
export function thumbnailDataKey(
  masterKey: Buffer,
  source: { storageKey: string; wrappedKey: string },
): Buffer {
  const documentKey = unwrapDataKey(masterKey, source.wrappedKey, source.storageKey);
  const info = `svd-thumbnail-key:v1:${thumbnailStorageKey(source.storageKey)}`;
  return Buffer.from(hkdfSync('sha256', documentKey, Buffer.alloc(0), info, 32));
}
