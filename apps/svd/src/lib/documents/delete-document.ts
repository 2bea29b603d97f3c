import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, type TSpace } from '../spaces/space';
import type { TBlobStore } from '../storage';
import { discardBlob } from './discard-blob';

/**
 * Deletes a document: its row first (the quota frees at once), then its encrypted blob. A blob the store will
 * not delete does not fail the request (the document is gone either way); it is logged and left for the sweep.
 */
export async function deleteDocument(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: TSpace & { documentId: string; log: TLogger },
): Promise<{ name: string }> {
  const editable = editableDocumentsOf(input);
  const [row] = await db
    .delete(schema.document)
    .where(and(eq(schema.document.id, input.documentId), editable, eq(schema.document.state, 'ready')))
    .returning({ storageKey: schema.document.storageKey, name: schema.document.name });
  if (!row) return refuseDocumentEdit(db, input, input.documentId);
  if (row.storageKey) {
    await discardBlob(db, storage.store, row.storageKey, { reason: 'document_deleted', log: input.log });
  }
  return { name: row.name };
}
