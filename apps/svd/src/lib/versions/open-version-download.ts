import type { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { documentsOf, type TSpace } from '../spaces/space';
import { IntegrityError, streamDecrypted, type TBlobStore } from '../storage';
import { liveDocument } from '../trash/live';

/**
 * A former version's plaintext, streamed as openDownload streams a document (each segment released once its
 * tag is checked). Whoever may download the document may download its versions, on every plan and state
 * (getting data out). The file is named after the document.
 */
export async function openVersionDownload(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TSpace & { documentId: string; versionId: string },
): Promise<{ name: string; sizeBytes: number; vaultId: string; body: Readable }> {
  const d = schema.document;
  const v = schema.documentVersion;
  const [row] = await db
    .select({ name: d.name, vaultId: d.vaultId, version: v })
    .from(v)
    .innerJoin(d, eq(d.id, v.documentId))
    .where(
      and(
        eq(v.id, input.versionId),
        eq(d.id, input.documentId),
        documentsOf(input),
        eq(d.state, 'ready'),
        liveDocument,
      ),
    );
  if (!row) throw new AppError('NOT_FOUND', 'That version does not exist.');
  try {
    const body = await streamDecrypted(storage.store, storage.masterKey, row.version);
    return { name: row.name, sizeBytes: row.version.sizeBytes, vaultId: row.vaultId, body };
  } catch (error) {
    if (error instanceof IntegrityError)
      throw new AppError('INTEGRITY_FAILED', error.message, { cause: error });
    throw error;
  }
}
