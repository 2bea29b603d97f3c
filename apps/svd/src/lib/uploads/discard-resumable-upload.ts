import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';

export interface TDiscardResumableUploadInput {
  uploadId: string;
  /** 'terminated': the owner canceled it (tus DELETE); 'expired': the sweep found it past its deadline. */
  why: 'terminated' | 'expired';
  log: TLogger;
}

/**
 * Ends a resumable upload. Unfinished: its document row goes (the reservation is released — the upload row goes
 * with it, ON DELETE CASCADE), then its parts and any half-assembled blob are deleted from the store (failures
 * recorded in securevault."OrphanedBlob" for `npm run svd:sweep-blobs`). Finished: only the upload row goes; the
 * document is the user's. The sweep only takes an upload that is still expired and whose lease has lapsed, so a
 * PATCH that just started is not cut from under it. Returns whether a reservation was released.
 */
export async function discardResumableUpload(
  db: TDatabase,
  store: TBlobStore,
  input: TDiscardResumableUploadInput,
): Promise<boolean> {
  const u = schema.resumableUpload;
  const d = schema.document;
  const now = new Date();
  const claimable =
    input.why === 'expired'
      ? and(
          eq(u.id, input.uploadId),
          lt(u.expiresAt, now),
          or(isNull(u.lockedUntil), sql`${u.lockedUntil} < now()`),
        )
      : eq(u.id, input.uploadId);
  const released = await db.transaction(async (tx) => {
    const [upload] = await tx.select().from(u).where(claimable).for('update');
    if (!upload) return null;
    if (upload.completedAt) {
      await tx.delete(u).where(eq(u.id, upload.id));
      return null;
    }
    const [document] = await tx
      .delete(d)
      .where(and(eq(d.id, upload.documentId), eq(d.state, 'uploading')))
      .returning({ storageKey: d.storageKey });
    return { parts: upload.parts, storageKey: document?.storageKey ?? null };
  });
  if (!released) return false;
  const reason = input.why === 'expired' ? 'stale_upload' : 'upload_failed';
  await Promise.all([
    ...released.parts.map((part) => discardBlob(db, store, part, { reason: 'upload_part', log: input.log })),
    released.storageKey ? discardBlob(db, store, released.storageKey, { reason, log: input.log }) : undefined,
  ]);
  return true;
}
