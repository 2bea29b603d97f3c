import type { TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { streamZip } from '../documents/stream-zip';
import type { TBlobStore } from '../storage';
import { recordShareUse, type TOpenShare } from './access-share-link';
import { listSharedFolder } from './list-shared-folder';
import { linkNotAvailable } from './share-link-view';
import { takeShareDownload } from './take-share-download';

/**
 * One download of a shared folder: its live documents (and its live subfolders') as one ZIP streamed as each is
 * decrypted (streamZip: never the archive in memory or on disk), paths kept from the folder down. One download is
 * taken from the link first and given back if the first document cannot be opened.
 */
export async function downloadSharedFolder(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  share: TOpenShare,
  input: { address: string | null; now?: Date; log?: TLogger },
): Promise<{ name: string; stream: ReadableStream<Uint8Array> }> {
  const { link, folder } = share;
  if (!folder) throw linkNotAvailable();
  const { giveBack } = await takeShareDownload(db, link, {
    address: input.address,
    now: input.now ?? new Date(),
  });
  try {
    const files = await listSharedFolder(db, folder.id);
    const stream = await streamZip(
      storage,
      files.map((file) => ({
        document: { storageKey: file.storageKey, wrappedKey: file.wrappedKey, updatedAt: file.updatedAt },
        pathInZip: file.path,
      })),
      { log: input.log },
    );
    await recordShareUse(db, link.id, 'downloaded', input.address);
    return { name: `${folder.name}.zip`, stream };
  } catch (error) {
    await giveBack();
    throw error;
  }
}
