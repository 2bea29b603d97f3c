import type { Readable } from 'node:stream';
import type { TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { IntegrityError, streamDecrypted, type TBlobStore } from '../storage';
import { recordShareUse, type TOpenShare } from './access-share-link';
import { linkNotAvailable } from './share-link-view';
import { takeShareDownload } from './take-share-download';

/**
 * One download of a shared document (the recipient already checked by accessShareLink): one download taken from
 * the link (takeShareDownload), then the document streamed decrypted as for its owner (streamDecrypted); if it
 * cannot be opened the download is given back. Works in read-only mode: a download takes nothing in.
 */
export async function downloadSharedDocument(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  share: TOpenShare,
  input: { address: string | null; now?: Date },
): Promise<{ name: string; sizeBytes: number; body: Readable }> {
  const { link, document } = share;
  if (!document?.storageKey || !document.wrappedKey) throw linkNotAvailable();
  const { giveBack } = await takeShareDownload(db, link, {
    address: input.address,
    now: input.now ?? new Date(),
  });
  try {
    const body = await streamDecrypted(storage.store, storage.masterKey, {
      storageKey: document.storageKey,
      wrappedKey: document.wrappedKey,
    });
    await recordShareUse(db, link.id, 'downloaded', input.address);
    return { name: document.name, sizeBytes: document.sizeBytes, body };
  } catch (error) {
    await giveBack();
    if (error instanceof IntegrityError)
      throw new AppError('INTEGRITY_FAILED', error.message, { cause: error });
    throw error;
  }
}
