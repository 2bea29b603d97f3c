import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type TDocumentView, toDocumentView } from './document-view';
import { findVault } from './find-vault';
import { ZDocumentRenameSchema } from './names';

export const ZUpdateDocumentSchema = z
  .object({ name: ZDocumentRenameSchema.optional(), vaultId: z.string().uuid('Choose a vault.').optional() })
  .refine((v) => v.name !== undefined || v.vaultId !== undefined, 'Give a new name or a vault to move to.');

/** Renames a document and/or moves it to another of the user's vaults. Allowed on every plan and state. */
export async function updateDocument(
  db: TDatabase,
  input: z.infer<typeof ZUpdateDocumentSchema> & { userId: string; documentId: string },
): Promise<TDocumentView> {
  if (input.vaultId) await findVault(db, { userId: input.userId, vaultId: input.vaultId });
  const [row] = await db
    .update(schema.document)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.vaultId !== undefined ? { vaultId: input.vaultId } : {}),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(schema.document.id, input.documentId),
        eq(schema.document.userId, input.userId),
        eq(schema.document.state, 'ready'),
      ),
    )
    .returning();
  if (!row) throw new AppError('NOT_FOUND', 'That document does not exist.');
  return toDocumentView(row);
}
