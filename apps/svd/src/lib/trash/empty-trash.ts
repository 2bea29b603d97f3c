import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, eq, inArray, isNotNull, ne, type SQL } from 'drizzle-orm';
import { folderSubtree } from '../folders/folder-tree';
import { editableFoldersOf } from '../folders/folders-of';
import { editableDocumentsOf, isTeam, spaceMay, type TSpace } from '../spaces/space';
import type { TBlobStore } from '../storage';
import { purgeTrashed } from './purge-trashed';

/**
 * Empties the space's trash for good (issue 16 §3), on every plan and state (read-only mode exists so people can
 * get data out and free space). A team's owners and admins empty all of it; a member the documents they uploaded
 * and the folders they created that hold nobody else's documents; a viewer nothing (403).
 */
export async function emptyTrash(
  db: TDatabase,
  storage: { store: TBlobStore },
  input: TSpace & { log: TLogger },
): Promise<{ documents: number; folders: number; bytes: number }> {
  const d = schema.document;
  const f = schema.folder;
  const documents = and(editableDocumentsOf(input), isNotNull(d.trashedAt)) as SQL;
  let folders = and(editableFoldersOf(input), isNotNull(f.trashedAt)) as SQL;
  if (isTeam(input) && !spaceMay(input, 'manage')) {
    const candidates = await db.select({ id: f.id }).from(f).where(folders);
    const allowed: string[] = [];
    for (const { id } of candidates) {
      const [foreign] = await db
        .select({ id: d.id })
        .from(d)
        .where(and(inArray(d.folderId, folderSubtree(id)), ne(d.userId, input.userId)))
        .limit(1);
      if (!foreign) allowed.push(id);
    }
    folders = (allowed.length > 0 ? inArray(f.id, allowed) : eq(f.id, '')) as SQL;
  }
  return purgeTrashed(db, storage.store, { documents, folders, log: input.log });
}
