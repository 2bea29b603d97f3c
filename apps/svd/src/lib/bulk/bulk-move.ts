import type { TDatabase } from '@omg/db';
import { toErrorResponse } from '@omg/platform';
import type { TDocumentView } from '../documents/document-view';
import { moveDocument } from '../folders/move-document';
import type { TSpace } from '../spaces/space';
import type { TBulkMove } from './bulk.types';
import { findBulkDocuments } from './find-bulk-documents';

/**
 * Moves the selection into a folder (or a vault's root) through moveDocument, the single move. Every id is
 * checked first (findBulkDocuments: all the caller's live documents, all changeable by them, or nothing
 * happens). Then each is moved; one that fails meanwhile (deleted by someone else a moment ago, the target
 * folder trashed) is reported in `failed` with its reason, never dropped silently.
 */
export async function bulkMove(
  db: TDatabase,
  input: TSpace & TBulkMove,
): Promise<{
  moved: (TDocumentView & { previousFolderId: string | null })[];
  failed: { id: string; message: string }[];
}> {
  await findBulkDocuments(db, { ...input, edit: true });
  const moved: (TDocumentView & { previousFolderId: string | null })[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const id of input.ids) {
    try {
      moved.push(
        await moveDocument(db, {
          ...input,
          documentId: id,
          folderId: input.folderId,
          vaultId: input.vaultId,
        }),
      );
    } catch (error) {
      // The first failure is usually the target (a folder trashed meanwhile): every later move would fail alike.
      const { status, body } = toErrorResponse(error);
      if (status >= 500) throw error;
      failed.push({ id, message: body.error.message });
    }
  }
  return { moved, failed };
}
