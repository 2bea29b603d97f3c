import { schema, type TDatabase } from '@omg/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import { foldersOf } from '../folders/folders-of';
import { documentsOf, isTeam, requireSpaceAction, spaceMay, type TSpace } from '../spaces/space';
import { TRASH_RETENTION_MS } from './live';
import { trashedDocumentRoot, trashedFolderRoot } from './trash-roots';

export interface TTrashItem {
  kind: 'document' | 'folder';
  id: string;
  name: string;
  vaultId: string;
  vaultName: string;
  /** A document's size; a folder's: the documents that went into the trash with it. */
  sizeBytes: number;
  trashedAt: string;
  /** When `npm run svd:empty-trash` deletes it for good (trashedAt + 30 days). */
  expiresAt: string;
  /** Whether this user may restore it or delete it for good (a team member: their own items). */
  editable: boolean;
}

/**
 * The trash page (issue 16 §3): every deletion of the space once (a folder stands for what went with it), most
 * recent first. Anyone who may read the space may see it; changing it follows the delete rules.
 */
export async function listTrash(db: TDatabase, space: TSpace): Promise<TTrashItem[]> {
  requireSpaceAction(space, 'read');
  const d = schema.document;
  const f = schema.folder;
  const v = schema.vault;
  const ownAll = !isTeam(space) || spaceMay(space, 'manage');
  const mayWrite = spaceMay(space, 'write');
  const [documents, folders] = await Promise.all([
    db
      .select({ row: d, vaultName: v.name })
      .from(d)
      .innerJoin(v, eq(v.id, d.vaultId))
      .where(and(documentsOf(space), eq(d.state, 'ready'), trashedDocumentRoot()))
      .orderBy(desc(d.trashedAt))
      .limit(1000),
    db
      .select({
        row: f,
        vaultName: v.name,
        sizeBytes: sql<string>`(select coalesce(sum(x."sizeBytes"), 0) from "securevault"."Document" x
          where x."trashedAt" = ${f.trashedAt} and x."folderId" in (with recursive tree(id) as (
            select ${f.id} union select c."id" from "securevault"."Folder" c join tree on c."parentId" = tree.id
          ) select id from tree))`,
      })
      .from(f)
      .innerJoin(v, eq(v.id, f.vaultId))
      .where(and(foldersOf(space), trashedFolderRoot()))
      .orderBy(desc(f.trashedAt))
      .limit(1000),
  ]);
  const item = (
    kind: 'document' | 'folder',
    row: { id: string; name: string; vaultId: string; userId: string; trashedAt: Date | null },
    vaultName: string,
    sizeBytes: number,
  ): TTrashItem => {
    const trashedAt = row.trashedAt ?? new Date(0);
    return {
      kind,
      id: row.id,
      name: row.name,
      vaultId: row.vaultId,
      vaultName,
      sizeBytes,
      trashedAt: trashedAt.toISOString(),
      expiresAt: new Date(trashedAt.getTime() + TRASH_RETENTION_MS).toISOString(),
      editable: mayWrite && (ownAll || row.userId === space.userId),
    };
  };
  return [
    ...documents.map(({ row, vaultName }) => item('document', row, vaultName, row.sizeBytes)),
    ...folders.map(({ row, vaultName, sizeBytes }) => item('folder', row, vaultName, Number(sizeBytes))),
  ].sort((a, b) => b.trashedAt.localeCompare(a.trashedAt));
}
