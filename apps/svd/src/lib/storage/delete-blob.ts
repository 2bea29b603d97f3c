import { BlobNotFoundError, type TBlobStore } from './blob-store';
import { readComposedBlob } from './composed-blob';

/**
 * Deletes the blob at `storageKey` and, when it is a composed blob (a finished resumable upload's manifest,
 * composed-blob.ts), every part it lists first: the manifest goes last, so a deletion that fails part-way can be
 * run again (as the orphan sweep does) and still finds the parts that are left. Deleting a missing blob succeeds.
 */
export async function deleteBlob(store: TBlobStore, storageKey: string): Promise<void> {
  let parts: string[] = [];
  try {
    const stream = await store.get(storageKey);
    const read = await readComposedBlob(stream);
    // Only its first bytes were needed.
    stream.destroy();
    if ('composed' in read) parts = read.composed.parts;
  } catch (error) {
    if (!(error instanceof BlobNotFoundError)) throw error;
  }
  for (const part of parts) await store.delete(part);
  await store.delete(storageKey);
}
