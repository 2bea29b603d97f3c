import { schema, type TDatabase, withAdvisoryLock } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { folderSubtree } from '../folders/folder-tree';
import { editableFoldersOf } from '../folders/folders-of';
import { refuseFolderEdit } from '../folders/refuse-folder-edit';
import { isTeam, spaceMay, type TSpace } from '../spaces/space';
import { liveDocument, liveFolder } from './live';

/**
 * Deletes a folder to the trash with everything live in it: the folder, its live subfolders and their live
 * documents all get ONE trashedAt stamp, so restoring the folder brings back exactly what went with it (what was
 * trashed earlier on its own keeps its own stamp and stays in the trash). A team member may delete a folder they
 * created only while everything live in it is theirs too — a folder must not become a way to delete a
 * teammate's documents. Serialised with moves on the vault's lock, so nothing moves in or out half-way.
 */
export async function trashFolder(
  db: TDatabase,
  input: TSpace & { folderId: string },
): Promise<{ id: string; name: string; vaultId: string; documents: number }> {
  const f = schema.folder;
  const d = schema.document;
  const editable = editableFoldersOf(input);
  const [folder] = await db
    .select()
    .from(f)
    .where(and(eq(f.id, input.folderId), editable, liveFolder));
  if (!folder) return refuseFolderEdit(db, input, input.folderId);
  return withAdvisoryLock(db, `svd-folders:${folder.vaultId}`, async (tx) => {
    const subtree = folderSubtree(folder.id);
    if (isTeam(input) && !spaceMay(input, 'manage')) {
      const [foreignFolder] = await tx
        .select({ id: f.id })
        .from(f)
        .where(and(inArray(f.id, subtree), liveFolder, ne(f.userId, input.userId)))
        .limit(1);
      const [foreignDocument] = await tx
        .select({ id: d.id })
        .from(d)
        .where(and(inArray(d.folderId, subtree), liveDocument, ne(d.userId, input.userId)))
        .limit(1);
      if (foreignFolder || foreignDocument) {
        throw new AppError(
          'FORBIDDEN',
          'This folder holds documents or folders another member added. Only the team’s owner and admins can delete it.',
        );
      }
    }
    const trashedAt = new Date();
    const folders = await tx
      .update(f)
      .set({ trashedAt })
      .where(and(inArray(f.id, subtree), liveFolder))
      .returning({ id: f.id });
    if (!folders.some((row) => row.id === folder.id)) {
      throw new AppError('NOT_FOUND', 'That folder does not exist.');
    }
    const documents = await tx
      .update(d)
      .set({ trashedAt })
      .where(and(inArray(d.folderId, subtree), liveDocument))
      .returning({ id: d.id });
    return { id: folder.id, name: folder.name, vaultId: folder.vaultId, documents: documents.length };
  });
}
