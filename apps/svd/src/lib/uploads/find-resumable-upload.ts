import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';

export type TResumableUploadRow = typeof schema.resumableUpload.$inferSelect & {
  storageKey: string;
  wrappedKey: string;
  vaultId: string;
  name: string;
};

/**
 * A resumable upload with what its document row holds for it (where the blob goes, its wrapped key), or null.
 * Callers decide who may see it: the route answers 404 alike for a missing upload and another user's.
 */
export async function findResumableUpload(
  db: TDatabase,
  uploadId: string,
): Promise<TResumableUploadRow | null> {
  const u = schema.resumableUpload;
  const d = schema.document;
  const [row] = await db
    .select({
      upload: u,
      storageKey: d.storageKey,
      wrappedKey: d.wrappedKey,
      vaultId: d.vaultId,
      name: d.name,
    })
    .from(u)
    .innerJoin(d, eq(d.id, u.documentId))
    .where(eq(u.id, uploadId));
  if (!row?.storageKey || !row.wrappedKey) return null;
  return {
    ...row.upload,
    storageKey: row.storageKey,
    wrappedKey: row.wrappedKey,
    vaultId: row.vaultId,
    name: row.name,
  };
}
