import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError, isUniqueViolation } from '@omg/platform';
import { z } from 'zod';
import { findVault } from '../documents/find-vault';
import { getVaultStatus, type TVaultStatus } from '../entitlements/get-vault-status';
import { isTeam, requireSpaceAction, type TSpace } from '../spaces/space';
import { findFolder } from './find-folder';
import { FOLDER_NAME_TAKEN_MESSAGE, ZFolderNameSchema } from './folder-names';
import { type TFolderView, toFolderView } from './folder-view';

export const ZCreateFolderSchema = z.object({
  vaultId: z.string().uuid('Choose a vault.'),
  /** The folder to create it in; null or absent = the vault's root. */
  parentId: z.string().uuid('That folder does not exist.').nullish(),
  name: ZFolderNameSchema,
});

/**
 * Creates a folder in a vault of the space (members and above; viewers 403). A folder holds no bytes, but it is
 * new data all the same: where uploads are refused (read-only plan, over the storage limit) creating one is
 * refused with the same reason, while renaming, moving and deleting — tidying up and getting data out — stay open.
 * `status`: the space's status when the caller read it with the session (entitledApiRoute), else read here.
 */
export async function createFolder(
  db: TDatabase,
  input: z.infer<typeof ZCreateFolderSchema> & TSpace,
  status?: TVaultStatus,
): Promise<TFolderView> {
  const vault = await findVault(db, input);
  requireSpaceAction(input, 'write');
  if (input.parentId) await findFolder(db, { ...input, folderId: input.parentId, vaultId: vault.id });
  const { uploadBlockedReason } = status ?? (await getVaultStatus(db, input));
  if (uploadBlockedReason) throw new AppError('FORBIDDEN', uploadBlockedReason);
  try {
    const [row] = await db
      .insert(schema.folder)
      .values({
        id: randomUUID(),
        vaultId: vault.id,
        parentId: input.parentId ?? null,
        name: input.name,
        userId: input.userId,
        organizationId: isTeam(input) ? input.organizationId : null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    return toFolderView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', FOLDER_NAME_TAKEN_MESSAGE);
    throw error;
  }
}
