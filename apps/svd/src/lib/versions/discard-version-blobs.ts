import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';

/**
 * Deletes the blobs of versions whose rows are gone (pruned). Their rows' delete trigger recorded each in
 * securevault."OrphanedBlob" in the same transaction; a blob deleted now clears its record, one the store
 * refuses stays recorded (discardBlob logs it and counts the attempt) for `npm run svd:sweep-blobs`.
 */
export async function discardVersionBlobs(
  db: TDatabase,
  store: TBlobStore,
  storageKeys: readonly string[],
  log: TLogger,
): Promise<void> {
  for (const storageKey of storageKeys) {
    if (await discardBlob(db, store, storageKey, { reason: 'document_deleted', log })) {
      await db.delete(schema.orphanedBlob).where(eq(schema.orphanedBlob.storageKey, storageKey));
    }
  }
}
