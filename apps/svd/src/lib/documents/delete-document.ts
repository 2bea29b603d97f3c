import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { deleteStored, type TBlobStore } from '../storage';

/** Deletes a document: its row first (the quota frees at once), then its encrypted blob. */
export async function deleteDocument(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: { userId: string; documentId: string },
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
  if (row.storageKey) await deleteStored(storage.store, row.storageKey);
}
