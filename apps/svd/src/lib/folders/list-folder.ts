import { schema, type TDatabase } from '@omg/db';
import { type SQLWrapper, sql } from 'drizzle-orm';
import type { TDocumentView } from '../documents/document-view';
import { documentsOf, type TSpace, vaultsOf } from '../spaces/space';
import { liveDocument, liveFolder } from '../trash/live';
import type { TFolderView } from './folder-view';

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

/** A timestamp as Date#toISOString writes it (UTC, milliseconds), as the views carry it. */
const iso = (column: SQLWrapper) => sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const folderJson = (f: typeof schema.folder) =>
  sql`json_build_object('id', ${f.id}, 'vaultId', ${f.vaultId}, 'parentId', ${f.parentId}, 'name', ${f.name}, 'createdAt', ${iso(f.createdAt)}, 'updatedAt', ${iso(f.updatedAt)})`;

/**
 * The vault page's listing (issue 16): a folder's live subfolders (by name) and live ready documents (sorted as
 * asked), and the breadcrumbs to it. One statement (the page renders it on every visit, issue 13): the vault is
 * resolved as listDocuments does it — the asked vault if it is the space's, else the first — then the asked
 * folder within it (a live folder of that vault, else the root), and from those the subfolders, the documents
 * (without their search text, most of a row's bytes) and the breadcrumbs, each aggregated as JSON.
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
  const vaultId = sql`(select "id" from target)`;
  // No folder asked: the root. Asked: the shown one, or the root when it is not a live folder of the vault.
  const shownId = input.folderId ? sql`(select "id" from shown)` : sql`null`;
  const inShown = (column: SQLWrapper) =>
    input.folderId ? sql`${column} is not distinct from ${shownId}` : sql`${column} is null`;
  const column = { name: d.name, createdAt: d.createdAt, sizeBytes: d.sizeBytes }[input.sort];
  const order = input.order === 'asc' ? sql`asc` : sql`desc`;
  const { rows } = await db.execute<{
    vaultId: string | null;
    folder: TFolderView | null;
    folders: TFolderView[];
    documents: TDocumentView[];
    breadcrumbs: Array<{ id: string; name: string }>;
  }>(sql`with recursive
    target as (select coalesce(${asked}, ${firstVault}) as "id"),
    shown as (
      select * from ${f}
      where ${f.id} = ${input.folderId} and ${f.vaultId} = ${vaultId} and ${liveFolder}
    ),
    up("id", "name", "parentId", depth) as (
      select "id", "name", "parentId", 0 from shown
      union all
      select p."id", p."name", p."parentId", up.depth + 1 from ${f} p join up on p."id" = up."parentId"
      where up.depth < 1000
    )
    select
      ${vaultId} as "vaultId",
      (select ${folderJson(f)} from ${f} where ${f.id} = ${shownId}) as "folder",
      (select coalesce(json_agg(${folderJson(f)} order by lower(${f.name})), '[]'::json) from ${f}
        where ${f.vaultId} = ${vaultId} and ${inShown(f.parentId)} and ${liveFolder}) as "folders",
      (select coalesce(json_agg(listed.row order by listed.n), '[]'::json) from (
        select json_build_object(
          'id', ${d.id}, 'vaultId', ${d.vaultId}, 'uploadedBy', ${d.userId}, 'folderId', ${d.folderId},
          'name', ${d.name}, 'mimeType', ${d.mimeType}, 'sizeBytes', ${d.sizeBytes},
          'indexStatus', ${d.indexStatus}, 'indexNote', ${d.indexNote},
          'processingUnits', ${d.processingUnits}, 'pages', ${d.pages},
          'createdAt', ${iso(d.createdAt)}, 'updatedAt', ${iso(d.updatedAt)}
        ) as row, row_number() over (order by ${column} ${order}) as n
        from ${d}
        where ${documentsOf(input)} and ${d.vaultId} = ${vaultId} and ${inShown(d.folderId)}
          and ${d.state} = 'ready' and ${liveDocument}
        order by n limit 500
      ) listed) as "documents",
      (select coalesce(json_agg(json_build_object('id', up."id", 'name', up."name") order by up.depth desc), '[]'::json)
        from up) as "breadcrumbs"`);
  const row = rows[0];
  const vault = row?.vaultId ?? null;
  if (!row || !vault) {
    return { vaultId: null, folder: null, folderMissing: false, breadcrumbs: [], folders: [], documents: [] };
  }
  return {
    vaultId: vault,
    folder: row.folder,
    folderMissing: Boolean(input.folderId) && !row.folder,
    breadcrumbs: row.breadcrumbs,
    folders: row.folders,
    documents: row.documents,
  };
}
