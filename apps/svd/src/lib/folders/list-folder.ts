import { schema, type TDatabase } from '@omg/db';
import { and, asc, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { type TDocumentView, toDocumentView } from '../documents/document-view';
import { documentsOf, type TSpace, vaultsOf } from '../spaces/space';
import { liveDocument, liveFolder } from '../trash/live';
import { type TFolderView, toFolderView } from './folder-view';

export interface TFolderListing {
  /** The vault shown (the asked one if it is the space's, else its first), null when the space has none. */
  vaultId: string | null;
  /** The folder shown, null = the vault's root (also when the asked folder is not a live folder of that vault). */
  folder: TFolderView | null;
  /** The asked folder does not exist here (another vault's or user's, or in the trash): the root is shown. */
  folderMissing: boolean;
  /** From the root down to the shown folder itself; empty at the root. */
  breadcrumbs: Array<{ id: string; name: string }>;
  folders: TFolderView[];
  documents: TDocumentView[];
}

/**
 * The vault page's listing (issue 16): a folder's live subfolders (by name) and live ready documents (sorted as
 * asked), and the breadcrumbs to it. Two round trips: the vault and folder are resolved in one statement — as
 * listDocuments does, the asked vault if it is the space's, else the first — then the rest at once.
 */
export async function listFolder(
  db: TDatabase,
  input: TSpace & {
    vaultOrFirst: string | null;
    folderId: string | null;
    sort: 'name' | 'createdAt' | 'sizeBytes';
    order: 'asc' | 'desc';
  },
): Promise<TFolderListing> {
  const v = schema.vault;
  const f = schema.folder;
  const d = schema.document;
  const asked = input.vaultOrFirst
    ? sql`(select ${v.id} from ${v} where ${v.id} = ${input.vaultOrFirst} and ${vaultsOf(input)})`
    : sql`null`;
  const firstVault = sql`(select ${v.id} from ${v} where ${vaultsOf(input)} order by ${v.createdAt} asc, ${v.name} asc limit 1)`;
  const { rows } = await db.execute<{ vaultId: string | null }>(
    sql`select coalesce(${asked}, ${firstVault}) as "vaultId"`,
  );
  const vaultId = rows[0]?.vaultId ?? null;
  const empty = { vaultId, folder: null, folderMissing: false, breadcrumbs: [], folders: [], documents: [] };
  if (!vaultId) return empty;
  const [folderRow] = input.folderId
    ? await db
        .select()
        .from(f)
        .where(and(eq(f.id, input.folderId), eq(f.vaultId, vaultId), liveFolder))
    : [];
  const folderId = folderRow?.id ?? null;
  const column = { name: d.name, createdAt: d.createdAt, sizeBytes: d.sizeBytes }[input.sort];
  const [folders, documents, breadcrumbs] = await Promise.all([
    db
      .select()
      .from(f)
      .where(
        and(eq(f.vaultId, vaultId), folderId ? eq(f.parentId, folderId) : isNull(f.parentId), liveFolder),
      )
      .orderBy(asc(sql`lower(${f.name})`)),
    db
      .select()
      .from(d)
      .where(
        and(
          documentsOf(input),
          eq(d.vaultId, vaultId),
          folderId ? eq(d.folderId, folderId) : isNull(d.folderId),
          eq(d.state, 'ready'),
          liveDocument,
        ) as SQL,
      )
      .orderBy(input.order === 'asc' ? asc(column) : desc(column))
      .limit(500),
    folderId ? folderBreadcrumbs(db, folderId) : Promise.resolve([]),
  ]);
  return {
    vaultId,
    folder: folderRow ? toFolderView(folderRow) : null,
    folderMissing: Boolean(input.folderId) && !folderRow,
    breadcrumbs,
    folders: folders.map(toFolderView),
    documents: documents.map(toDocumentView),
  };
}

async function folderBreadcrumbs(db: TDatabase, folderId: string) {
  const { rows } = await db.execute<{
    id: string;
    name: string;
  }>(sql`with recursive up(id, name, "parentId", depth) as (
      select "id", "name", "parentId", 0 from "securevault"."Folder" where "id" = ${folderId}
      union all
      select p."id", p."name", p."parentId", up.depth + 1 from "securevault"."Folder" p join up on p."id" = up."parentId"
      where up.depth < 1000
    ) select id, name from up order by depth desc`);
  return rows;
}
