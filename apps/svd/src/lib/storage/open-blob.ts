import { Readable } from 'node:stream';
import type { TBlobStore } from './blob-store';
import { composedBlobBytes, readComposedBlob } from './composed-blob';

/**
 * The stored bytes of the blob at `storageKey`, whether it is one object or a composed blob (a resumable
 * upload's parts, composed-blob.ts): the readers of documents (encrypted-storage.ts) open every blob here.
 * Throws BlobNotFoundError when there is no such object; a missing part fails the read when it is reached.
 */
export async function openBlob(store: TBlobStore, storageKey: string): Promise<Readable> {
  const stream = await store.get(storageKey);
  const read = await readComposedBlob(stream);
  const bytes = 'plain' in read ? read.plain : composedBlobBytes(store, read.composed);
  const readable = Readable.from(bytes, { objectMode: false });
  // A reader that stops before the first read never starts the generator, whose own cleanup would close it.
  readable.once('close', () => stream.destroy());
  return readable;
}
