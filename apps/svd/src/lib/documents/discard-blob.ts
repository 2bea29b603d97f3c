import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TBlobStore } from '../storage';
import { deleteBlob } from '../storage/delete-blob';
import { isThumbnailStorageKey, thumbnailStorageKey } from '../thumbnails/thumbnail-storage-key';

/** Why a blob was being deleted; the same list as the CHECK on securevault."OrphanedBlob".reason. */
export const ZOrphanReasonSchema = z.enum([
  'upload_failed',
  'stale_upload',
  'document_deleted',
  'upload_part',
]);
export type TOrphanReason = z.infer<typeof ZOrphanReasonSchema>;

/**
 * Deletes the blob of a document whose row is already gone (a composed one, a finished resumable upload's, with
 * its parts: deleteBlob). If the store refuses, the document is still gone
 * for the user, so this does not throw; but the failure must not vanish either: it is logged (the caller's
 * logger carries the request id) and recorded in securevault."OrphanedBlob", where `npm run svd:sweep-blobs`
 * finds it to try again. Returns whether the blob is gone.
 */
export async function discardBlob(
  db: TDatabase,
  store: TBlobStore,
  storageKey: string,
  context: { reason: TOrphanReason; log: TLogger },
): Promise<boolean> {
  // A deleted document's thumbnail (lib/thumbnails) sits under a key derived from its blob's and goes with it,
  // whichever path deleted the document (its row, and the thumbnail's by cascade, are already gone).
  // Only when there is one (most documents have none): a store that cannot be asked tries the delete anyway.
  if (context.reason === 'document_deleted' && !isThumbnailStorageKey(storageKey)) {
    const thumbnail = thumbnailStorageKey(storageKey);
    if (await store.exists(thumbnail).catch(() => true)) await discardBlob(db, store, thumbnail, context);
  }
  try {
    // Only a document's blob can be composed: a part or a thumbnail is deleted without reading it first.
    if (context.reason === 'upload_part' || isThumbnailStorageKey(storageKey)) await store.delete(storageKey);
    else await deleteBlob(store, storageKey);
    return true;
  } catch (error) {
    context.log.error(
      { err: error, storageKey, reason: context.reason },
      'blob deletion failed; recorded in securevault.OrphanedBlob for the sweep',
    );
    const lastError = error instanceof Error ? error.message : String(error);
    await db
      .insert(schema.orphanedBlob)
      .values({ storageKey, reason: context.reason, lastError })
      .onConflictDoUpdate({
        target: schema.orphanedBlob.storageKey,
        set: { lastError, attempts: sql`${schema.orphanedBlob.attempts} + 1`, updatedAt: sql`now()` },
      });
    return false;
  }
}
