import { schema, type TDatabase } from '@omg/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type TDocumentView, toDocumentView } from '../documents/document-view';
import { findVault } from '../documents/find-vault';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, type TSpace } from '../spaces/space';
import { liveDocument } from '../trash/live';
import { findFolder } from './find-folder';

export const ZMoveDocumentSchema = z.object({
  /** The live folder to move into; null = the root of `vaultId` (or of the document's own vault). */
  folderId: z.string().uuid('That folder does not exist.').nullable(),
  vaultId: z.string().uuid('Choose a vault.').optional(),
});

/**
 * Moves a live document into a folder, or to a vault's root — the drag-and-drop move, and what bulk moves call
 * per document. A folder in another vault of the space moves it to that vault too (as moving between vaults
 * always could). Who may: as for any document edit (editableDocumentsOf); allowed on every plan and state.
 */
export async function moveDocument(
  db: TDatabase,
  input: TSpace & { documentId: string; folderId: string | null; vaultId?: string },
): Promise<TDocumentView & { previousFolderId: string | null }> {
  const d = schema.document;
  const editable = editableDocumentsOf(input);
  const target = input.folderId
    ? await findFolder(db, { ...input, folderId: input.folderId, vaultId: input.vaultId })
    : null;
  const vaultId = target?.vaultId ?? input.vaultId;
  if (vaultId && !target) await findVault(db, { ...input, vaultId });
  const [before] = await db
    .select({ folderId: d.folderId })
    .from(d)
    .where(and(eq(d.id, input.documentId), editable, eq(d.state, 'ready'), liveDocument));
  if (!before) return refuseDocumentEdit(db, input, input.documentId);
  const [row] = await db
    .update(d)
    .set({ folderId: target?.id ?? null, ...(vaultId ? { vaultId } : {}), updatedAt: sql`now()` })
    .where(and(eq(d.id, input.documentId), editable, eq(d.state, 'ready'), liveDocument))
    .returning();
  if (!row) return refuseDocumentEdit(db, input, input.documentId);
  return { ...toDocumentView(row), previousFolderId: before.folderId };
}
