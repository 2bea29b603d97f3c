import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { requireSpaceAction, type TSpace, vaultsOf } from '../spaces/space';
import { findVault } from './find-vault';

/** Deletes an empty vault. Nothing is ever deleted implicitly: a vault with documents must be emptied first. */
export async function deleteVault(
  db: TDatabase,
  input: TSpace & { vaultId: string },
): Promise<{ name: string }> {
  const vault = await findVault(db, input);
  requireSpaceAction(input, 'manage');
  const documents = await db.$count(schema.document, eq(schema.document.vaultId, input.vaultId));
  if (documents > 0) {
    throw new AppError('CONFLICT', 'This vault still holds documents. Move or delete them first.');
  }
  await db.delete(schema.vault).where(and(eq(schema.vault.id, input.vaultId), vaultsOf(input)));
  return { name: vault.name };
}
