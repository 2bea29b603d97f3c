import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { findVault } from './find-vault';

/** Deletes an empty vault. Nothing is ever deleted implicitly: a vault with documents must be emptied first. */
export async function deleteVault(db: TDatabase, input: { userId: string; vaultId: string }): Promise<void> {
  await findVault(db, input);
  const documents = await db.$count(schema.document, eq(schema.document.vaultId, input.vaultId));
  if (documents > 0) {
    throw new AppError('CONFLICT', 'This vault still holds documents. Move or delete them first.');
  }
  await db
    .delete(schema.vault)
    .where(and(eq(schema.vault.id, input.vaultId), eq(schema.vault.userId, input.userId)));
}
