import { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import { storeEncrypted, type TBlobStore } from '../storage';
import { recordThumbnail, type TThumbnailRecord } from './record-thumbnail';
import { RenderFailedError, renderInChild, type TRenderInChildOptions } from './render-in-child';
import { thumbnailDataKey } from './thumbnail-data-key';
import { thumbnailStorageKey } from './thumbnail-storage-key';
import { mayHaveThumbnail } from './thumbnail-types';

/** Larger documents get no thumbnail: decoding them whole in the child is not worth a 256 px picture. */
export const MAX_THUMBNAIL_SOURCE_BYTES = 64 * 1024 * 1024;
/** A thumbnail bigger than this is not one (a WebP of 256 px is a few KB). */
const MAX_THUMBNAIL_BYTES = 1024 * 1024;

export type TThumbnailOutcome = 'ready' | 'failed' | 'skipped';

/**
 * The thumbnail job (svd.make-thumbnail): draws the document's thumbnail in a child process (renderInChild),
 * stores it encrypted under its own data key (storeEncrypted, at thumbnailStorageKey of the document's blob, the
 * key derived by thumbnailDataKey so that two jobs at once cannot leave a blob and a wrap that disagree) and
 * records it (recordThumbnail). Skips a document that is gone, not an image or PDF, or already has a thumbnail of
 * its current blob, so a job that runs twice does the work once. A file that cannot be drawn (corrupt, not what
 * its type says, too large, too slow) is recorded as 'failed' with the reason; a failure that may pass (a crash,
 * the worker stopping) is thrown for pg-boss to retry, and recorded on the last attempt.
 */
export async function makeThumbnail(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: { documentId: string; lastAttempt: boolean; log: TLogger; render?: TRenderInChildOptions },
): Promise<TThumbnailOutcome> {
  const [row] = await db
    .select({
      storageKey: schema.document.storageKey,
      wrappedKey: schema.document.wrappedKey,
      mimeType: schema.document.mimeType,
      sizeBytes: schema.document.sizeBytes,
      made: schema.thumbnail.status,
      madeFrom: schema.thumbnail.sourceStorageKey,
    })
    .from(schema.document)
    .leftJoin(schema.thumbnail, eq(schema.thumbnail.documentId, schema.document.id))
    .where(and(eq(schema.document.id, input.documentId), eq(schema.document.state, 'ready')));
  if (!row?.storageKey || !row.wrappedKey || !mayHaveThumbnail(row.mimeType)) return 'skipped';
  if (row.made && row.madeFrom === row.storageKey) return 'skipped';
  const source = { storageKey: row.storageKey, wrappedKey: row.wrappedKey };

  const finish = async (record: TThumbnailRecord): Promise<TThumbnailOutcome> => {
    const { recorded, replacedStorageKey } = await recordThumbnail(db, {
      documentId: input.documentId,
      sourceStorageKey: source.storageKey,
      record,
    });
    const orphan = recorded ? replacedStorageKey : record.status === 'ready' ? record.storageKey : null;
    // The reason the OrphanedBlob check knows for "its document no longer has it" (a thumbnail is never the key
    // of a document, so discardBlob does not look for a thumbnail of it).
    if (orphan) await discardBlob(db, storage.store, orphan, { reason: 'document_deleted', log: input.log });
    return recorded ? record.status : 'skipped';
  };

  if (row.sizeBytes > MAX_THUMBNAIL_SOURCE_BYTES) {
    return finish({ status: 'failed', note: 'too large for a thumbnail' });
  }
  let drawn: Awaited<ReturnType<typeof renderInChild>>;
  try {
    drawn = await renderInChild(
      { ...source, mimeType: row.mimeType, sizeBytes: row.sizeBytes },
      input.render,
    );
  } catch (error) {
    if (!(error instanceof RenderFailedError)) throw error;
    if (!error.permanent && !input.lastAttempt) throw error;
    input.log.warn({ documentId: input.documentId, err: error }, 'no thumbnail for this document');
    return finish({ status: 'failed', note: error.explanation });
  }
  // Another job for this document may write the same key at this instant (a retry overlapping a slow
  // attempt): both seal under the one derived key, so the blob kept opens with the wrap recorded, whichever
  // lands last. For the same reason a failed write deletes nothing: the key may hold the other job's finished
  // thumbnail, and a store leaves no partial object behind (a blob it did keep is whole and opens).
  const stored = await storeEncrypted(storage.store, storage.masterKey, Readable.from([drawn.webp]), {
    maxBytes: MAX_THUMBNAIL_BYTES,
    storageKey: thumbnailStorageKey(source.storageKey),
    dataKey: thumbnailDataKey(storage.masterKey, source),
    discard: async () => {},
  });
  return finish({
    status: 'ready',
    storageKey: stored.storageKey,
    wrappedKey: stored.wrappedKey,
    sizeBytes: stored.sizeBytes,
    width: drawn.width,
    height: drawn.height,
  });
}
