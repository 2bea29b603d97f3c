import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';
import { composedBlobBytes, composedBlobManifest } from '../storage/composed-blob';
import { rethrowAfterCleanup } from '../storage/rethrow-after-cleanup';
import { verifySegments } from '../storage/segmented-cipher';
import { discardVersionBlobs } from '../versions/discard-version-blobs';
import { finishUpload } from '../versions/finish-upload';
import type { TResumableUploadRow } from './find-resumable-upload';

export interface TCompleteInput {
  upload: TResumableUploadRow;
  dataKey: Buffer;
  /** Every part, in order, the last one included. */
  parts: string[];
  /** The plaintext's SHA-256, hashed as it arrived; null for an upload begun before hashes were kept. */
  sha256: string | null;
  /** The row's offset before the last part: the compare-and-set that finishes the upload starts from it. */
  previousReceived: number;
  log: TLogger;
  indexQueue?: string;
}

/**
 * The last byte of a resumable upload has arrived and every part is stored: the parts become the document's
 * blob where they are. A manifest (composed-blob.ts: the blob's header and the part keys, in order) is written
 * under the document's storage key, and every reader opens it as the one SVD1 blob a simple upload would have
 * written (openBlob), checking each segment's tag, index and final flag as every download does. Nothing is
 * copied, so the last request takes as long as its own part, whatever the file's size. Then, in one
 * transaction, exactly as uploadDocument does: the document turns `ready` (indexStatus 'pending', its sha256
 * and size) and its indexing job is queued; the upload row keeps the final offset, and its parts are the
 * document's from then on (deleted with it: deleteBlob). If anything fails, the row still holds the offset
 * before the last part, so the client's retry sends it again.
 */
export async function completeResumableUpload(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: TCompleteInput,
): Promise<void> {
  const { upload, dataKey, parts } = input;
  const sizeBytes = upload.uploadLength;
  let pruned: string[] = [];
  try {
    const sha256 = input.sha256 ?? (await hashParts(storage.store, upload, dataKey, parts));
    await storage.store.put(
      upload.storageKey,
      Readable.from([composedBlobManifest({ header: upload.header, parts })]),
    );
    await db.transaction(async (tx) => {
      const u = schema.resumableUpload;
      const [finished] = await tx
        .update(u)
        .set({
          receivedBytes: upload.uploadLength,
          parts: [],
          tail: null,
          hashState: null,
          completedAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(u.id, upload.id), eq(u.receivedBytes, input.previousReceived), isNull(u.completedAt)))
        .returning({ id: u.id });
      if (!finished) {
        throw new AppError(
          'CONFLICT',
          'This upload was changed by another request; ask the server for its offset.',
        );
      }
      const d = schema.document;
      const [ready] = await tx
        .update(d)
        .set({
          state: 'ready',
          sha256,
          sizeBytes,
          indexStatus: 'pending',
          updatedAt: sql`now()`,
        })
        .where(and(eq(d.id, upload.documentId), eq(d.state, 'uploading')))
        .returning({ id: d.id });
      if (!ready) throw new Error(`document ${upload.documentId} vanished while uploading`);
      // Queues the indexing; an upload chosen as a new version becomes the current content of its document.
      pruned = (await finishUpload(tx, upload.documentId, { queue: input.indexQueue })).prunedStorageKeys;
    });
  } catch (error) {
    // The manifest (if written) is not the document's until the transaction commits, and its parts but the
    // last are still the upload's: only the manifest goes (a retry writes it again; one left behind lists only
    // this upload's parts, which go with the upload). The last part was never counted: the retry stores it
    // again under a new key.
    const last = parts.at(-1);
    await rethrowAfterCleanup(
      error,
      async () => {
        await storage.store.delete(upload.storageKey);
        if (last) await discardBlob(db, storage.store, last, { reason: 'upload_part', log: input.log });
      },
      `discarding the unfinished completion of upload ${upload.id}`,
    );
  }
  await discardVersionBlobs(db, storage.store, pruned, input.log);
}

/**
 * The SHA-256 of an upload begun before hashes were kept with its offset: its parts read back once (every
 * segment's tag, index and final flag checked on the way), nothing written.
 */
async function hashParts(
  store: TBlobStore,
  upload: TResumableUploadRow,
  dataKey: Buffer,
  parts: string[],
): Promise<string> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const verified = verifySegments(
    composedBlobBytes(store, { header: upload.header, parts }),
    dataKey,
    (plaintext) => {
      hash.update(plaintext);
      sizeBytes += plaintext.length;
    },
  );
  for await (const _sealed of verified) {
    // Only the plaintext's hash and size are wanted.
  }
  if (sizeBytes !== upload.uploadLength) {
    throw new Error(
      `upload ${upload.id}: its parts hold ${sizeBytes} bytes, expected ${upload.uploadLength}`,
    );
  }
  return hash.digest('hex');
}
