import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, lt, sql } from 'drizzle-orm';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { formatBytes } from '../format-bytes';
import {
  deleteStored,
  FileTooLargeError,
  newStorageKey,
  openDecrypted,
  storeEncrypted,
  type TBlobStore,
  type TStoredObject,
} from '../storage';
import { type TDocumentView, toDocumentView } from './document-view';
import { findVault } from './find-vault';
import { indexDocument } from './index-document';
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
}

/**
 * Stores one document (SPEC §6): the largest-file limit is checked before any byte is read; the declared size is
 * reserved against the storage quota in a transaction serialised per user, so concurrent uploads cannot overshoot
 * it; the body streams through encryption into storage; a refused or failed upload leaves no blob and no row.
 * Then the text is extracted and indexed if the month's processing units allow.
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
  await Promise.all(stale.map((key) => deleteStored(storage.store, key).catch(() => {})));

  let stored: TStoredObject;
  try {
    stored = await storeEncrypted(storage.store, storage.masterKey, input.body, {
      maxBytes: input.declaredBytes,
      signal: input.signal,
      storageKey,
    });
    await db
      .update(schema.document)
      .set({
        state: 'ready',
        wrappedKey: stored.wrappedKey,
        sha256: stored.sha256,
        sizeBytes: stored.sizeBytes,
        updatedAt: sql`now()`,
      })
      .where(eq(schema.document.id, documentId));
  } catch (error) {
    await db.delete(schema.document).where(eq(schema.document.id, documentId));
    await deleteStored(storage.store, storageKey).catch(() => {});
    if (error instanceof FileTooLargeError) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `“${name}” is larger than the ${formatBytes(input.declaredBytes)} announced for it.`,
      );
    }
    throw error;
  }

  const source = await openDecrypted(storage.store, storage.masterKey, stored);
  const row = await indexDocument(db, { documentId, userId: input.userId, source, status });
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
  return db.transaction(async (tx) => {
    // One lock per user: every reservation of theirs waits its turn, so the sum below cannot go stale.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`svd-quota:${input.userId}`}, 0))`);
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
