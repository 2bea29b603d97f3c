import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { eq, sql } from 'drizzle-orm';
import { formatBytes } from '../format-bytes';
import type { TSpace } from '../spaces/space';
import {
  FileTooLargeError,
  newStorageKey,
  storeEncrypted,
  type TBlobStore,
  type TStoredObject,
} from '../storage';
import { claimUploadName } from '../versions/claim-upload-name';
import { discardVersionBlobs } from '../versions/discard-version-blobs';
import { finishUpload } from '../versions/finish-upload';
import type { TOnNameConflict } from '../versions/versions.types';
import { discardBlob } from './discard-blob';
import { type TDocumentView, toDocumentView } from './document-view';
import { ZDocumentNameSchema } from './names';
import { reserveUpload } from './reserve-upload';

export interface TUploadInput extends TSpace {
  vaultId: string;
  /** The folder to upload into (issue 16); null or absent = the vault's root. */
  folderId?: string | null;
  fileName: string;
  mimeType: string;
  /** What the client says it will send; the body may not exceed it. */
  declaredBytes: number;
  body: Readable;
  signal?: AbortSignal;
  /** The request's logger (it carries the request id): blobs that cannot be deleted are logged. */
  log: TLogger;
  /** The indexing queue; tests use one of their own. */
  indexQueue?: string;
  /**
   * A live document of the same name in the same folder: ask (409), a new version of it, or keep both
   * (claimUploadName). Omitted, names are not checked (imports; the routes always say).
   */
  onNameConflict?: TOnNameConflict;
}

/**
 * Stores one document (SPEC §6): the largest-file limit is checked before any byte is read and the declared size
 * is reserved against the storage quota (reserveUpload, shared with resumable uploads); the body streams through encryption into storage; a refused or failed upload leaves no row, and no blob
 * (or, if the store refuses to delete it, a securevault."OrphanedBlob" row for the sweep).
 * It answers as soon as the blob and its row are stored: the row turns `ready` (indexStatus 'pending') in the same
 * transaction that queues its indexing job (enqueueIndexing), and a worker extracts the text (indexDocument).
 */
export async function uploadDocument(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TUploadInput,
): Promise<TDocumentView & { newVersion?: true }> {
  const name = ZDocumentNameSchema.parse(input.fileName);
  const documentId = randomUUID();
  const storageKey = newStorageKey();
  const stale = await reserveUpload(db, {
    userId: input.userId,
    organizationId: input.organizationId,
    role: input.role,
    vaultId: input.vaultId,
    folderId: input.folderId,
    documentId,
    storageKey,
    name,
    mimeType: input.mimeType,
    declaredBytes: input.declaredBytes,
    withReservation: async (tx) => {
      const onConflict = input.onNameConflict;
      if (onConflict) await claimUploadName(tx, { ...input, documentId, onConflict });
    },
  });
  await Promise.all(
    stale.map((key) => discardBlob(db, storage.store, key, { reason: 'stale_upload', log: input.log })),
  );

  const discard = (key: string) =>
    discardBlob(db, storage.store, key, { reason: 'upload_failed', log: input.log });
  let stored: TStoredObject | undefined;
  let row: typeof schema.document.$inferSelect | undefined;
  let pruned: string[] = [];
  try {
    const blob = await storeEncrypted(storage.store, storage.masterKey, input.body, {
      maxBytes: input.declaredBytes,
      signal: input.signal,
      storageKey,
      discard,
    });
    stored = blob;
    row = await db.transaction(async (tx) => {
      const [ready] = await tx
        .update(schema.document)
        .set({
          state: 'ready',
          wrappedKey: blob.wrappedKey,
          sha256: blob.sha256,
          sizeBytes: blob.sizeBytes,
          indexStatus: 'pending',
          updatedAt: sql`now()`,
        })
        .where(eq(schema.document.id, documentId))
        .returning();
      if (!ready) throw new Error(`document ${documentId} vanished while uploading`);
      // Queues the indexing; an upload chosen as a new version becomes the current content of its document.
      const finished = await finishUpload(tx, documentId, { queue: input.indexQueue });
      pruned = finished.prunedStorageKeys;
      if (finished.documentId === documentId) return ready;
      const [current] = await tx
        .select()
        .from(schema.document)
        .where(eq(schema.document.id, finished.documentId));
      return current;
    });
  } catch (error) {
    await db.delete(schema.document).where(eq(schema.document.id, documentId));
    // storeEncrypted discards its own partial blob; a blob it finished storing is ours to discard.
    if (stored) await discard(storageKey);
    if (error instanceof FileTooLargeError) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `“${name}” is larger than the ${formatBytes(input.declaredBytes)} announced for it.`,
      );
    }
    throw error;
  }

  await discardVersionBlobs(db, storage.store, pruned, input.log);
  if (!row) throw new Error(`document ${documentId} vanished after its upload`);
  return row.id === documentId ? toDocumentView(row) : { ...toDocumentView(row), newVersion: true };
}
