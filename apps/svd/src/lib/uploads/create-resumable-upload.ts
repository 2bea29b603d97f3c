import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { discardBlob } from '../documents/discard-blob';
import { ZDocumentNameSchema } from '../documents/names';
import { reserveUpload } from '../documents/reserve-upload';
import type { TSpace } from '../spaces/space';
import { newStorageKey, type TBlobStore } from '../storage';
import { generateDataKey, wrapDataKey } from '../storage/envelope';
import { createSegmentHeader } from '../storage/segmented-cipher';
import { claimUploadName } from '../versions/claim-upload-name';
import { UPLOAD_EXPIRY_MS, ZResumableUploadMetadataSchema } from './resumable-upload.types';

export interface TCreateResumableUploadInput extends TSpace {
  uploadId: string;
  /** tus Upload-Length: deferred lengths are refused before this (the store does not offer that extension). */
  uploadLength: number;
  metadata: Record<string, string | null>;
  log: TLogger;
}

/**
 * tus creation (POST): validates the metadata, then — before any byte is stored — the same gate as a simple
 * upload (reserveUpload: vault, read-only plan, largest-file limit from the declared length, quota reserved
 * atomically). The document's data key is drawn now and stored wrapped on its row, and the upload's row (its
 * blob header, nothing received) is written in the reservation's transaction.
 */
export async function createResumableUpload(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TCreateResumableUploadInput,
): Promise<{ documentId: string }> {
  const metadata = ZResumableUploadMetadataSchema.parse(input.metadata);
  const name = ZDocumentNameSchema.parse(metadata.filename);
  const documentId = randomUUID();
  const storageKey = newStorageKey();
  const wrappedKey = wrapDataKey(storage.masterKey, generateDataKey(), storageKey);
  const stale = await reserveUpload(db, {
    userId: input.userId,
    organizationId: input.organizationId,
    role: input.role,
    vaultId: metadata.vaultId,
    folderId: metadata.folderId,
    documentId,
    storageKey,
    name,
    mimeType: metadata.filetype ?? 'application/octet-stream',
    declaredBytes: input.uploadLength,
    wrappedKey,
    withReservation: async (tx) => {
      // Same name in the folder: 409 with the choice, a new version, or "name (2).ext" (before any byte).
      await claimUploadName(tx, { ...input, documentId, onConflict: metadata.onConflict });
      await tx.insert(schema.resumableUpload).values({
        id: input.uploadId,
        documentId,
        userId: input.userId,
        uploadLength: input.uploadLength,
        metadata: input.metadata,
        header: createSegmentHeader(),
        expiresAt: new Date(Date.now() + UPLOAD_EXPIRY_MS),
      });
    },
  });
  await Promise.all(
    stale.map((key) => discardBlob(db, storage.store, key, { reason: 'stale_upload', log: input.log })),
  );
  return { documentId };
}
