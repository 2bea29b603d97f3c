import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import { enqueueIndexing } from '../documents/enqueue-indexing';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, type TSpace } from '../spaces/space';
import { liveDocument } from '../trash/live';
import { currentContent } from './current-content';

/**
 * Restores a former version by SWAPPING it with the current content, in one transaction: the chosen
 * version's content becomes the document's, and the content that was current takes that version's place in
 * the history (replaced now, by whoever restored). Nothing is copied, so a restore stores no new bytes, needs
 * no quota and works in read-only mode too (it adds no data), and nothing is lost: restoring the other one
 * back swaps again. The document keeps its id, name, folder and links, and is re-indexed for search. Who may:
 * whoever may change the document (a team member their own uploads; owners and admins any).
 */
export async function restoreVersion(
  db: TDatabase,
  input: TSpace & { documentId: string; versionId: string; indexQueue?: string },
): Promise<{ id: string; name: string; vaultId: string }> {
  const editable = editableDocumentsOf(input);
  const d = schema.document;
  const v = schema.documentVersion;
  const restored = await db.transaction(async (tx) => {
    const [document] = await tx
      .select()
      .from(d)
      .where(and(eq(d.id, input.documentId), editable, eq(d.state, 'ready'), liveDocument))
      .for('update');
    if (!document?.storageKey || !document.wrappedKey) return null;
    const [version] = await tx
      .select()
      .from(v)
      .where(and(eq(v.id, input.versionId), eq(v.documentId, document.id)))
      .for('update');
    if (!version) throw new AppError('NOT_FOUND', 'That version does not exist.');
    const current = await currentContent(tx, document);
    await tx
      .update(d)
      .set({
        storageKey: version.storageKey,
        wrappedKey: version.wrappedKey,
        sizeBytes: version.sizeBytes,
        sha256: version.sha256,
        mimeType: version.mimeType,
        indexStatus: 'pending',
        indexNote: null,
        textContent: null,
        pages: null,
        updatedAt: sql`now()`,
      })
      .where(eq(d.id, document.id));
    await tx
      .update(v)
      .set({
        storageKey: document.storageKey,
        wrappedKey: document.wrappedKey,
        sizeBytes: document.sizeBytes,
        sha256: document.sha256,
        mimeType: document.mimeType,
        uploadedBy: current.by,
        createdAt: current.since,
        replacedAt: sql`now()`,
        replacedBy: input.userId,
      })
      .where(eq(v.id, version.id));
    await enqueueIndexing(tx, document.id, { queue: input.indexQueue });
    return { id: document.id, name: document.name, vaultId: document.vaultId };
  });
  return restored ?? refuseDocumentEdit(db, input, input.documentId);
}
