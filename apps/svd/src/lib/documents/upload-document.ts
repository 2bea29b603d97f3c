import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { schema, type TDatabase, withAdvisoryLock } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq, lt, sql } from 'drizzle-orm';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { formatBytes } from '../format-bytes';
import {
  FileTooLargeError,
  newStorageKey,
  storeEncrypted,
  type TBlobStore,
  type TStoredObject,
} from '../storage';
import { discardBlob } from './discard-blob';
import { type TDocumentView, toDocumentView } from './document-view';
import { enqueueIndexing } from './enqueue-indexing';
import { findVault } from './find-vault';
import { ZDocumentNameSchema } from './names';

/** A reservation older than this belongs to an upload that died; its bytes stop counting against the quota. */
const STALE_UPLOAD_MS = 60 * 60 * 1000;

export interface TUploadInput {
  userId: string;
  vaultId: string;
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
}

/**
 * Stores one document (SPEC §6): the largest-file limit is checked before any byte is read; the declared size is
 * reserved against the storage quota in a transaction serialised per user, so concurrent uploads cannot overshoot
 * it; the body streams through encryption into storage; a refused or failed upload leaves no row, and no blob
 * (or, if the store refuses to delete it, a securevault."OrphanedBlob" row for the sweep).
 * It answers as soon as the blob and its row are stored: the row turns `ready` (indexStatus 'pending') in the same
 * transaction that queues its indexing job (enqueueIndexing), and a worker extracts the text (indexDocument).
 */
export async function uploadDocument(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TUploadInput,
): Promise<TDocumentView> {
  const name = ZDocumentNameSchema.parse(input.fileName);
  await findVault(db, input);
  const status = await getVaultStatus(db, input.userId);
  if (status.uploadBlockedReason) throw new AppError('FORBIDDEN', status.uploadBlockedReason);
  const { limits } = status.entitlement;
  if (input.declaredBytes > limits.maxFileBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `“${name}” is ${formatBytes(input.declaredBytes)}; the ${limits.name} plan allows files up to ${formatBytes(limits.maxFileBytes)}.`,
    );
  }

  const documentId = randomUUID();
  const storageKey = newStorageKey();
  const stale = await reserve(db, {
    ...input,
    documentId,
    storageKey,
    name,
    storageLimit: limits.storageBytes,
    planName: limits.name,
  });
  await Promise.all(
    stale.map((key) => discardBlob(db, storage.store, key, { reason: 'stale_upload', log: input.log })),
  );

  const discard = (key: string) =>
    discardBlob(db, storage.store, key, { reason: 'upload_failed', log: input.log });
  let stored: TStoredObject | undefined;
  let row: typeof schema.document.$inferSelect | undefined;
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
      await enqueueIndexing(tx, documentId, { queue: input.indexQueue });
      return ready;
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

  return toDocumentView(row);
}

/** Reserves the declared size; returns the storage keys of dead reservations it released, for deletion. */
async function reserve(
  db: TDatabase,
  input: TUploadInput & {
    documentId: string;
    storageKey: string;
    name: string;
    storageLimit: number;
    planName: string;
  },
): Promise<string[]> {
  // One lock per user: every reservation of theirs waits its turn, so the sum below cannot go stale.
  return withAdvisoryLock(db, `svd-quota:${input.userId}`, async (tx) => {
    const stale = await tx
      .delete(schema.document)
      .where(
        and(
          eq(schema.document.userId, input.userId),
          eq(schema.document.state, 'uploading'),
          lt(schema.document.createdAt, new Date(Date.now() - STALE_UPLOAD_MS)),
        ),
      )
      .returning({ storageKey: schema.document.storageKey });
    const [usage] = await tx
      .select({ used: sql<string>`coalesce(sum(${schema.document.sizeBytes}), 0)` })
      .from(schema.document)
      .where(eq(schema.document.userId, input.userId));
    const used = Number(usage?.used ?? 0);
    const free = Math.max(0, input.storageLimit - used);
    if (input.declaredBytes > free) {
      throw new AppError(
        'FORBIDDEN',
        `Not enough storage for “${input.name}” (${formatBytes(input.declaredBytes)}): ${formatBytes(free)} of your ${input.planName} plan's ${formatBytes(input.storageLimit)} is free.`,
        { details: { reason: 'storage_quota', freeBytes: free } },
      );
    }
    await tx.insert(schema.document).values({
      id: input.documentId,
      userId: input.userId,
      vaultId: input.vaultId,
      name: input.name,
      mimeType: input.mimeType,
      sizeBytes: input.declaredBytes,
      state: 'uploading',
      storageKey: input.storageKey,
    });
    return stale.flatMap((row) => (row.storageKey ? [row.storageKey] : []));
  });
}
