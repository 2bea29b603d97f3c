import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';
import { toBuffer } from '../storage/bytes';
import { unwrapDataKey } from '../storage/envelope';
import { SEGMENT_SIZE, sealSegment, segmentCount } from '../storage/segmented-cipher';
import { openUploadTail, sealUploadTail } from '../storage/upload-tail';
import { completeResumableUpload } from './complete-resumable-upload';
import { findResumableUpload } from './find-resumable-upload';
import { PART_SEGMENTS, UPLOAD_EXPIRY_MS } from './resumable-upload.types';
import { resumeUploadHash, saveUploadHash } from './upload-hash';

export interface TAppendInput {
  uploadId: string;
  /** The client's Upload-Offset: it must be exactly what the server has stored. */
  offset: number;
  body: AsyncIterable<unknown>;
  log: TLogger;
  /** The indexing queue; tests use one of their own. */
  indexQueue?: string;
}

/** Part keys are random, so a writer that lost a race can never overwrite the winner's part. */
function newPartKey(storageKey: string): string {
  return `${storageKey}-p${randomBytes(8).toString('hex')}`;
}

/**
 * tus PATCH: encrypts the body as it arrives into the document's SVD1 blob. The upload's length is known
 * (declared at creation), so segment i is sealed — final flag set for the last one — the moment its 64 KiB of
 * plaintext are complete, with the segment index in the nonce and associated data exactly as a simple upload
 * seals it. Sealed segments stream into the blob store as parts of up to PART_SEGMENTS segments; after each
 * part is stored, the row's offset moves (compare-and-set on the offset it started from), and the plaintext of
 * an unfinished segment is kept on the row encrypted (upload-tail.ts). When the body ends early or the
 * connection drops, what arrived is still stored and counted, so HEAD + PATCH resume at exactly that offset.
 * Memory: one segment plus the part in flight in the store, whatever the file's size.
 * The plaintext is hashed as its segments are sealed, the hash's state saved with the offset (upload-hash.ts).
 * When the last byte arrives the parts become the document's blob as they are, nothing copied, and the document
 * turns ready (completeResumableUpload). Returns the new offset.
 */
export async function appendToResumableUpload(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TAppendInput,
): Promise<number> {
  const found = await findResumableUpload(db, input.uploadId);
  if (!found) throw new AppError('NOT_FOUND', 'This upload does not exist or has expired.');
  const row = found;
  if (row.completedAt) throw new AppError('CONFLICT', 'This upload is already complete.');
  if (row.receivedBytes !== input.offset) {
    throw new AppError('CONFLICT', `The upload continues at byte ${row.receivedBytes}, not ${input.offset}.`);
  }
  const dataKey = unwrapDataKey(storage.masterKey, row.wrappedKey, row.storageKey);
  const total = row.uploadLength;
  const lastIndex = segmentCount(total) - 1;
  const lengthOf = (index: number) => Math.min(total, (index + 1) * SEGMENT_SIZE) - index * SEGMENT_SIZE;

  let index = Math.floor(input.offset / SEGMENT_SIZE);
  let received = input.offset;
  const pending = Buffer.allocUnsafe(SEGMENT_SIZE);
  let filled = 0;
  if (row.tail) {
    const tail = openUploadTail(dataKey, row.id, input.offset, row.tail);
    if (tail.length !== input.offset % SEGMENT_SIZE)
      throw new Error(`upload ${row.id}: tail does not fit its offset`);
    filled = tail.copy(pending);
  }
  let committed = { received: input.offset, parts: row.parts };
  // The plaintext's SHA-256 so far (every sealed segment), continued from the previous request's.
  const hasher = await resumeUploadHash(dataKey, {
    uploadId: row.id,
    hashedBytes: index * SEGMENT_SIZE,
    sealedState: row.hashState,
  });

  const source = input.body[Symbol.asyncIterator]();
  let leftover: Buffer | undefined;
  let sourceDone = false;
  let sourceError: unknown;
  // A failing body (the client went away) ends the input here instead of failing the part being written, so
  // every segment sealed before the cut is stored; the error is rethrown once that is done.
  async function nextBytes(): Promise<Buffer | undefined> {
    if (leftover) {
      const bytes = leftover;
      leftover = undefined;
      return bytes;
    }
    if (sourceDone) return undefined;
    try {
      const next = await source.next();
      if (!next.done) return toBuffer(next.value);
    } catch (error) {
      sourceError = error;
    }
    sourceDone = true;
    return undefined;
  }

  async function* partSegments(): AsyncGenerator<Buffer> {
    for (let sealed = 0; sealed < PART_SEGMENTS && index <= lastIndex; ) {
      const length = lengthOf(index);
      if (filled === length) {
        hasher?.update(pending.subarray(0, filled));
        yield sealSegment(dataKey, row.header, index, index === lastIndex, pending.subarray(0, filled));
        index += 1;
        sealed += 1;
        filled = 0;
        continue;
      }
      const bytes = await nextBytes();
      if (!bytes) return;
      const taken = bytes.copy(pending, filled, 0, length - filled);
      filled += taken;
      received += taken;
      if (taken < bytes.length) leftover = bytes.subarray(taken);
    }
  }

  /** Moves the row to what is stored now; false when another writer moved it first (the caller backs off). */
  async function advance(parts: string[]): Promise<boolean> {
    const u = schema.resumableUpload;
    const moved = await db
      .update(u)
      .set({
        receivedBytes: received,
        parts,
        tail: filled > 0 ? sealUploadTail(dataKey, row.id, received, pending.subarray(0, filled)) : null,
        hashState: hasher
          ? saveUploadHash(dataKey, { uploadId: row.id, hashedBytes: index * SEGMENT_SIZE }, hasher)
          : null,
        expiresAt: new Date(Date.now() + UPLOAD_EXPIRY_MS),
        updatedAt: sql`now()`,
      })
      .where(and(eq(u.id, row.id), eq(u.receivedBytes, committed.received), isNull(u.completedAt)))
      .returning({ id: u.id });
    return moved.length > 0;
  }

  const lostRace = () =>
    new AppError('CONFLICT', 'This upload was changed by another request; ask the server for its offset.');
  for (;;) {
    const segments = partSegments();
    const first = await segments.next();
    if (first.done) break;
    const partKey = newPartKey(row.storageKey);
    async function* part(): AsyncGenerator<Buffer> {
      yield first.value as Buffer;
      yield* segments;
    }
    try {
      await storage.store.put(partKey, Readable.from(part(), { objectMode: false }));
    } catch (error) {
      await discardBlob(db, storage.store, partKey, { reason: 'upload_part', log: input.log });
      throw error;
    }
    const parts = [...committed.parts, partKey];
    if (index > lastIndex) {
      await completeResumableUpload(db, storage, {
        upload: row,
        dataKey,
        parts,
        sha256: hasher?.digest('hex') ?? null,
        previousReceived: committed.received,
        log: input.log,
        indexQueue: input.indexQueue,
      });
      if (leftover || !sourceDone) {
        // tus's own limiter stops a body longer than the upload before it gets here; this is the last guard.
        const extra = leftover ?? (await nextBytes());
        if (extra && extra.length > 0)
          input.log.warn({ uploadId: row.id }, 'bytes beyond the upload length ignored');
      }
      return total;
    }
    if (!(await advance(parts))) {
      await discardBlob(db, storage.store, partKey, { reason: 'upload_part', log: input.log });
      throw lostRace();
    }
    committed = { received, parts };
  }
  // The body ended inside a segment: its plaintext so far is kept (encrypted) with the offset that counts it.
  if (received > committed.received && !(await advance(committed.parts))) throw lostRace();
  if (sourceError) throw sourceError;
  return received;
}
