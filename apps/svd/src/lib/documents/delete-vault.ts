import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, isNull } from 'drizzle-orm';
import { requireSpaceAction, type TSpace, vaultsOf } from '../spaces/space';
import { findVault } from './find-vault';

/** Deletes an empty vault. Nothing is ever deleted implicitly: a vault with documents must be emptied first. */
export async function deleteVault(
  db: TDatabase,
  input: TSpace & { vaultId: string },
): Promise<{ name: string }> {
  const vault = await findVault(db, input);
  requireSpaceAction(input, 'manage');
  // Documents in the trash count (issue 16): they are still the vault's until the trash is emptied.
  const documents = await db.$count(schema.document, eq(schema.document.vaultId, input.vaultId));
  if (documents > 0) {
    throw new AppError(
      'CONFLICT',
      'This vault still holds documents (perhaps in the trash). Move or delete them, and empty the trash, first.',
    );
  }
  const folders = await db.$count(
    schema.folder,
    and(eq(schema.folder.vaultId, input.vaultId), isNull(schema.folder.trashedAt)),
  );
  if (folders > 0) throw new AppError('CONFLICT', 'This vault still holds folders. Delete them first.');
  await db.transaction(async (tx) => {
    // Empty folders in the trash hold nothing: they go with the vault.
    await tx.delete(schema.folder).where(eq(schema.folder.vaultId, input.vaultId));
    await tx.delete(schema.vault).where(and(eq(schema.vault.id, input.vaultId), vaultsOf(input)));
  });
  return { name: vault.name };
}
