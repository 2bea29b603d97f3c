import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';
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
  /** The row's offset before the last part: the compare-and-set that finishes the upload starts from it. */
  previousReceived: number;
  log: TLogger;
  indexQueue?: string;
}

/**
 * The last byte of a resumable upload has arrived: its parts are assembled (header, then every part's sealed
 * segments in order) into the document's blob under its own storage key — the blob a simple upload would have
 * written, read by the same download path. The assembly checks every segment's tag, index and final flag as it
 * passes (verifySegments) and measures and hashes the plaintext, so a lost, damaged or misplaced part fails
 * here, not at a download. Then, in one transaction, exactly as uploadDocument does: the document turns
 * `ready` (indexStatus 'pending', its sha256 and size) and its indexing job is queued; the upload row keeps
 * the final offset. Only then are the parts deleted. If anything fails, the row still holds the offset before
 * the last part, so the client's retry sends it again.
 */
export async function completeResumableUpload(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: TCompleteInput,
): Promise<void> {
  const { upload, dataKey, parts } = input;
  const hash = createHash('sha256');
  let sizeBytes = 0;
  async function* assembled(): AsyncGenerator<Buffer> {
    yield upload.header;
    for (const part of parts) yield* await storage.store.get(part);
  }
  const discard = (key: string, reason: 'upload_failed' | 'upload_part') =>
    discardBlob(db, storage.store, key, { reason, log: input.log });
  let pruned: string[] = [];
  try {
    const verified = verifySegments(assembled(), dataKey, (plaintext) => {
      hash.update(plaintext);
      sizeBytes += plaintext.length;
    });
    await storage.store.put(upload.storageKey, Readable.from(verified, { objectMode: false }));
    if (sizeBytes !== upload.uploadLength) {
      throw new Error(`upload ${upload.id}: assembled ${sizeBytes} bytes, expected ${upload.uploadLength}`);
    }
    await db.transaction(async (tx) => {
      const u = schema.resumableUpload;
      const [finished] = await tx
        .update(u)
        .set({
          receivedBytes: upload.uploadLength,
          parts: [],
          tail: null,
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
          sha256: hash.digest('hex'),
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
    // The assembled blob (if any) is not the document's until the transaction commits; the last part was never
    // counted, so the retry stores it again under a new key.
    const last = parts.at(-1);
    await rethrowAfterCleanup(
      error,
      async () => {
        await discard(upload.storageKey, 'upload_failed');
        if (last) await discard(last, 'upload_part');
      },
      `discarding the unfinished assembly of upload ${upload.id}`,
    );
  }
  await Promise.all(parts.map((part) => discard(part, 'upload_part')));
  await discardVersionBlobs(db, storage.store, pruned, input.log);
}
