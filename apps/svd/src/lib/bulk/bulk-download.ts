import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { inArray } from 'drizzle-orm';
import { streamZip } from '../documents/stream-zip';
import type { TSpace } from '../spaces/space';
import type { TBlobStore } from '../storage';
import { findBulkDocuments } from './find-bulk-documents';

/**
 * The selected documents as one ZIP, streamed as each is decrypted (streamZip). Each sits under its folder's
 * path within its vault ("Contracts/2026/offer.pdf"), so a selection from search results keeps its structure;
 * same names get "(2)". All selected ids must be the caller's live documents (findBulkDocuments refuses the
 * request otherwise). Allowed on every plan and state: it only gets data out.
 */
export async function bulkDownload(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TSpace & { ids: readonly string[]; log?: TLogger },
): Promise<{
  stream: ReadableStream<Uint8Array>;
  documents: { id: string; name: string; vaultId: string }[];
}> {
  const documents = await findBulkDocuments(db, { ...input, edit: false });
  const folderIds = [...new Set(documents.flatMap((d) => (d.folderId ? [d.folderId] : [])))];
  const folders = new Map<string, { parentId: string | null; name: string }>();
  // Folders are few and shallow; walk up level by level (one query per level) to name each document's path.
  for (let wanted = folderIds; wanted.length; ) {
    const rows = await db
      .select({ id: schema.folder.id, parentId: schema.folder.parentId, name: schema.folder.name })
      .from(schema.folder)
      .where(inArray(schema.folder.id, wanted));
    for (const row of rows) folders.set(row.id, row);
    wanted = [...new Set(rows.flatMap((r) => (r.parentId && !folders.has(r.parentId) ? [r.parentId] : [])))];
  }
  const pathOf = (folderId: string | null): string[] => {
    const path: string[] = [];
    for (let id = folderId, depth = 0; id && depth < 64; depth++) {
      const folder = folders.get(id);
      if (!folder) break;
      path.unshift(folder.name);
      id = folder.parentId;
    }
    return path;
  };
  const stream = await streamZip(
    storage,
    documents.map((d) => ({
      document: { storageKey: d.storageKey ?? '', wrappedKey: d.wrappedKey ?? '', updatedAt: d.updatedAt },
      pathInZip: [...pathOf(d.folderId), d.name].join('/'),
    })),
    { log: input.log },
  );
  return { stream, documents: documents.map((d) => ({ id: d.id, name: d.name, vaultId: d.vaultId })) };
}
