import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';

/**
 * Deletes trashed items for good: the trashed documents matching `documents`, and the trashed folders matching
 * `folders` with every trashed folder and document below them. Rows go first, in one transaction (the quota
 * frees at once), then the blobs; a blob the store will not delete is recorded for `npm run svd:sweep-blobs`
 * (discardBlob), never a failure of the purge.
 *
 * Only trashed rows are ever deleted: should a live document or folder still sit in a doomed folder (an upload
 * that reserved its row while the folder was being deleted), it is moved to the vault's root instead.
 * Returns how many documents and folders went and how many bytes they held.
 */
export async function purgeTrashed(
  db: TDatabase,
  store: TBlobStore,
  input: { documents: SQL | null; folders: SQL | null; log: TLogger },
): Promise<{ documents: number; folders: number; bytes: number }> {
  const d = schema.document;
  const f = schema.folder;
  const { storageKeys, documents, folders, bytes } = await db.transaction(async (tx) => {
    let doomed: string[] = [];
    if (input.folders) {
      const roots = await tx
        .select({ id: f.id })
        .from(f)
        .where(and(input.folders, isNotNull(f.trashedAt)));
      if (roots.length > 0) {
        const { rows } = await tx.execute<{ id: string }>(sql`with recursive doomed(id) as (
            select "id" from "securevault"."Folder" where "id" in ${roots.map((r) => r.id)}
            union
            select c."id" from "securevault"."Folder" c join doomed on c."parentId" = doomed.id
            where c."trashedAt" is not null
          ) select id from doomed`);
        doomed = rows.map((row) => row.id);
      }
    }
    if (doomed.length > 0) {
      await tx
        .update(f)
        .set({ parentId: null })
        .where(and(inArray(f.parentId, doomed), isNull(f.trashedAt)));
      await tx
        .update(d)
        .set({ folderId: null })
        .where(and(inArray(d.folderId, doomed), isNull(d.trashedAt)));
    }
    const which = [input.documents, doomed.length > 0 ? inArray(d.folderId, doomed) : null].filter(
      (condition): condition is SQL => condition !== null,
    );
    const deleted =
      which.length > 0
        ? await tx
            .delete(d)
            .where(and(isNotNull(d.trashedAt), or(...which)))
            .returning({ storageKey: d.storageKey, sizeBytes: d.sizeBytes })
        : [];
    if (doomed.length > 0) await tx.delete(f).where(inArray(f.id, doomed));
    return {
      storageKeys: deleted.flatMap((row) => (row.storageKey ? [row.storageKey] : [])),
      documents: deleted.length,
      folders: doomed.length,
      bytes: deleted.reduce((sum, row) => sum + row.sizeBytes, 0),
    };
  });
  for (const storageKey of storageKeys) {
    await discardBlob(db, store, storageKey, { reason: 'document_deleted', log: input.log });
  }
  return { documents, folders, bytes };
}
