import { schema, type TDatabase } from '@omg/db';
import { AppError, isUniqueViolation } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import type { TSpace } from '../spaces/space';
import { liveFolder } from '../trash/live';
import { FOLDER_NAME_TAKEN_MESSAGE } from './folder-names';
import { type TFolderView, toFolderView } from './folder-view';
import { editableFoldersOf } from './folders-of';
import { refuseFolderEdit } from './refuse-folder-edit';

/** Renames a live folder (allowed on every plan and state, like renaming a document). */
export async function renameFolder(
  db: TDatabase,
  input: TSpace & { folderId: string; name: string },
): Promise<TFolderView & { previousName: string }> {
  const f = schema.folder;
  const editable = editableFoldersOf(input);
  const [before] = await db
    .select({ name: f.name })
    .from(f)
    .where(and(eq(f.id, input.folderId), editable, liveFolder));
  if (!before) return refuseFolderEdit(db, input, input.folderId);
  try {
    const [row] = await db
      .update(f)
      .set({ name: input.name, updatedAt: sql`now()` })
      .where(and(eq(f.id, input.folderId), editable, liveFolder))
      .returning();
    if (!row) return refuseFolderEdit(db, input, input.folderId);
    return { ...toFolderView(row), previousName: before.name };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', FOLDER_NAME_TAKEN_MESSAGE);
    throw error;
  }
}
