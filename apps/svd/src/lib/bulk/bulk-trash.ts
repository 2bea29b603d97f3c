import type { TDatabase } from '@omg/db';
import { toErrorResponse } from '@omg/platform';
import type { TSpace } from '../spaces/space';
import { trashDocument } from '../trash/trash-document';
import { findBulkDocuments } from './find-bulk-documents';

/**
 * Deletes the selection to the trash through trashDocument, the single delete (restorable for 30 days, still
 * counted against storage). Every id is checked first (findBulkDocuments: all the caller's live documents,
 * all changeable by them, or nothing happens); one that fails meanwhile is reported in `failed`.
 */
export async function bulkTrash(
  db: TDatabase,
  input: TSpace & { ids: readonly string[] },
): Promise<{
  trashed: { id: string; name: string; vaultId: string }[];
  failed: { id: string; message: string }[];
}> {
  await findBulkDocuments(db, { ...input, edit: true });
  const trashed: { id: string; name: string; vaultId: string }[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const id of input.ids) {
    try {
      trashed.push(await trashDocument(db, { ...input, documentId: id }));
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      if (status >= 500) throw error;
      failed.push({ id, message: body.error.message });
    }
  }
  return { trashed, failed };
}
