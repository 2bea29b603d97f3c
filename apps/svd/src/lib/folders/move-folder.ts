import { schema, type TDatabase, withAdvisoryLock } from '@omg/db';
import { AppError, isUniqueViolation } from '@omg/platform';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TSpace } from '../spaces/space';
import { liveFolder } from '../trash/live';
import { findFolder } from './find-folder';
import { FOLDER_NAME_TAKEN_MESSAGE } from './folder-names';
import { folderAncestry } from './folder-tree';
import { type TFolderView, toFolderView } from './folder-view';
import { editableFoldersOf } from './folders-of';
import { refuseFolderEdit } from './refuse-folder-edit';

export const CYCLE_MESSAGE = 'A folder cannot move into itself or into a folder inside it.';

/**
 * Moves a live folder, with everything in it, under another live folder of the SAME vault or to the vault's root
 * (parentId null). Only parentId changes: its documents and subfolders follow through the tree, and no document's
 * vaultId has to be rewritten. Across vaults is refused (400): moving a folder's documents between vaults would
 * rewrite every row below it, and documents can be moved between vaults one by one already. Moves within a vault
 * are serialised on a per-vault lock, so two concurrent moves (A into B, B into A) cannot build a cycle.
 */
export async function moveFolder(
  db: TDatabase,
  input: TSpace & { folderId: string; parentId: string | null },
): Promise<TFolderView & { previousParentId: string | null }> {
  const f = schema.folder;
  const editable = editableFoldersOf(input);
  const [current] = await db
    .select()
    .from(f)
    .where(and(eq(f.id, input.folderId), editable, liveFolder));
  if (!current) return refuseFolderEdit(db, input, input.folderId);
  return withAdvisoryLock(db, `svd-folders:${current.vaultId}`, async (tx) => {
    if (input.parentId) {
      const target = await findFolder(tx, { ...input, folderId: input.parentId });
      if (target.vaultId !== current.vaultId) {
        throw new AppError(
          'BAD_REQUEST',
          'Folders move within their vault. Move documents to another vault one by one.',
        );
      }
      const [cycle] = await tx
        .select({ id: f.id })
        .from(f)
        .where(and(eq(f.id, input.folderId), inArray(f.id, folderAncestry(input.parentId))));
      if (cycle) throw new AppError('CONFLICT', CYCLE_MESSAGE);
    }
    try {
      const [row] = await tx
        .update(f)
        .set({ parentId: input.parentId, updatedAt: sql`now()` })
        .where(and(eq(f.id, input.folderId), liveFolder))
        .returning();
      if (!row) throw new AppError('NOT_FOUND', 'That folder does not exist.');
      return { ...toFolderView(row), previousParentId: current.parentId };
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', FOLDER_NAME_TAKEN_MESSAGE);
      throw error;
    }
  });
}
