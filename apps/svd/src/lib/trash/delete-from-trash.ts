import { schema, type TDatabase } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import { folderSubtree } from '../folders/folder-tree';
import { editableFoldersOf } from '../folders/folders-of';
import { refuseFolderEdit } from '../folders/refuse-folder-edit';
import { refuseDocumentEdit } from '../spaces/refuse-document-edit';
import { editableDocumentsOf, isTeam, spaceMay, type TSpace } from '../spaces/space';
import type { TBlobStore } from '../storage';
import { purgeTrashed } from './purge-trashed';
import type { TTrashItemParams } from './restore-from-trash';

/**
 * Deletes one item in the trash for good (a folder with everything trashed below it): rows, then blobs. Allowed
 * on every plan and state — read-only mode exists to let people get data out and free space. Who may: as for
 * deleting it in the first place; a team member a folder only while everything in it is theirs.
 */
export async function deleteFromTrash(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: TSpace & TTrashItemParams & { log: TLogger },
): Promise<{ name: string; documents: number; folders: number; bytes: number }> {
  if (input.kind === 'documents') {
    const d = schema.document;
    const mine = and(eq(d.id, input.id), editableDocumentsOf(input), isNotNull(d.trashedAt));
    const [row] = await db.select({ name: d.name }).from(d).where(mine);
    if (!row) return refuseDocumentEdit(db, input, input.id);
    const purged = await purgeTrashed(db, storage.store, {
      documents: mine ?? null,
      folders: null,
      log: input.log,
    });
    if (purged.documents === 0) throw new AppError('NOT_FOUND', 'That item is not in the trash.');
    return { name: row.name, ...purged };
  }
  const f = schema.folder;
  const d = schema.document;
  const mine = and(eq(f.id, input.id), editableFoldersOf(input), isNotNull(f.trashedAt));
  const [row] = await db.select({ name: f.name }).from(f).where(mine);
  if (!row) return refuseFolderEdit(db, input, input.id);
  if (isTeam(input) && !spaceMay(input, 'manage')) {
    const [foreign] = await db
      .select({ id: d.id })
      .from(d)
      .where(and(inArray(d.folderId, folderSubtree(input.id)), ne(d.userId, input.userId)))
      .limit(1);
    if (foreign) {
      throw new AppError(
        'FORBIDDEN',
        'This folder holds documents another member uploaded. Only the team’s owner and admins can delete it for good.',
      );
    }
  }
  const purged = await purgeTrashed(db, storage.store, {
    documents: null,
    folders: mine ?? null,
    log: input.log,
  });
  if (purged.folders === 0) throw new AppError('NOT_FOUND', 'That item is not in the trash.');
  return { name: row.name, ...purged };
}
