import { schema, type TDatabase } from '@omg/db';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { z } from 'zod';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, type TSpace } from '../spaces/space';
import { liveDocument } from '../trash/live';
import { type TDocumentView, toDocumentView } from './document-view';
import { findVault } from './find-vault';
import { ZDocumentRenameSchema } from './names';

export const ZUpdateDocumentSchema = z
  .object({ name: ZDocumentRenameSchema.optional(), vaultId: z.string().uuid('Choose a vault.').optional() })
  .refine((v) => v.name !== undefined || v.vaultId !== undefined, 'Give a new name or a vault to move to.');

/**
 * Renames a document and/or moves it to another of the user's vaults. Allowed on every plan and state. Also
 * answers the name it had before, for the team's activity log (a rename's entry keeps the former name).
 */
export async function updateDocument(
  db: TDatabase,
  input: z.infer<typeof ZUpdateDocumentSchema> & TSpace & { documentId: string },
): Promise<TDocumentView & { previousName: string }> {
  // Which documents this user may change (a viewer none: 403 here; a member their own uploads).
  const editable = editableDocumentsOf(input);
  if (input.vaultId) await findVault(db, { ...input, vaultId: input.vaultId });
  const [row] = await db
    .update(schema.document)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      // Another vault's folders are not this one's: a document moved between vaults lands in its root.
      ...(input.vaultId !== undefined ? { vaultId: input.vaultId, folderId: null } : {}),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(schema.document.id, input.documentId),
        editable,
        eq(schema.document.state, 'ready'),
        liveDocument,
      ),
    )
    // A subquery in RETURNING reads the statement's snapshot: the row as it was before this update.
    .returning({
      ...getTableColumns(schema.document),
      previousName: sql<string>`(select d."name" from ${schema.document} d where d."id" = ${input.documentId})`,
    });
  if (!row) return refuseDocumentEdit(db, input, input.documentId);
  const { previousName, ...document } = row;
  return { ...toDocumentView(document), previousName };
}
