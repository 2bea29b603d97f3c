import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import type { TBlobStore } from '../storage';
import { discardBlob } from './discard-blob';

/**
 * Deletes a document: its row first (the quota frees at once), then its encrypted blob. A blob the store will
 * not delete does not fail the request (the document is gone either way); it is logged and left for the sweep.
 */
export async function deleteDocument(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: { userId: string; documentId: string; log: TLogger },
): Promise<void> {
  const [row] = await db
    .delete(schema.document)
    .where(
      and(
        eq(schema.document.id, input.documentId),
        eq(schema.document.userId, input.userId),
        eq(schema.document.state, 'ready'),
      ),
    )
    .returning({ storageKey: schema.document.storageKey });
  if (!row) throw new AppError('NOT_FOUND', 'That document does not exist.');
  if (row.storageKey) {
    await discardBlob(db, storage.store, row.storageKey, { reason: 'document_deleted', log: input.log });
  }
}
