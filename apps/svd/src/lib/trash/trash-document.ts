import { schema, type TDatabase } from '@omg/db';
import { and, eq } from 'drizzle-orm';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, type TSpace } from '../spaces/space';
import { liveDocument } from './live';

/**
 * Deletes a document to the trash (issue 16 §3): it leaves every listing, search, link and preview at once and
 * comes back with restoreFromTrash for 30 days; its blob and bytes stay (still counted against storage) until
 * the trash is emptied or the item expires. Who may: as for any document edit — a member their own uploads,
 * owners and admins all, viewers none. Allowed on every plan and state (it only ever hides data).
 */
export async function trashDocument(
  db: TDatabase,
  input: TSpace & { documentId: string },
): Promise<{ id: string; name: string; vaultId: string }> {
  const d = schema.document;
  const editable = editableDocumentsOf(input);
  const [row] = await db
    .update(d)
    .set({ trashedAt: new Date() })
    .where(and(eq(d.id, input.documentId), editable, eq(d.state, 'ready'), liveDocument))
    .returning({ id: d.id, name: d.name, vaultId: d.vaultId });
  if (!row) return refuseDocumentEdit(db, input, input.documentId);
  return row;
}
