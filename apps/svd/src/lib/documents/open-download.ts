import type { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { documentsOf, type TSpace } from '../spaces/space';
import { IntegrityError, streamDecrypted, type TBlobStore } from '../storage';
import { liveDocument } from '../trash/live';

/**
 * A document's plaintext, each 64 KiB segment released once its tag is checked (streamDecrypted): the first bytes
 * leave at once whatever the size, and damage found later cuts the download short. Downloads work on every plan and state — over the limit, trial ended,
 * canceled — because a user can always get their documents out.
 */
export async function openDownload(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TSpace & { documentId: string },
): Promise<{ name: string; sizeBytes: number; vaultId: string; body: Readable }> {
  const [row] = await db
    .select()
    .from(schema.document)
    .where(
      and(
        eq(schema.document.id, input.documentId),
        documentsOf(input),
        eq(schema.document.state, 'ready'),
        // A document in the trash is restored first (issue 16): the trash is not a place to read from.
        liveDocument,
      ),
    );
  if (!row?.storageKey || !row.wrappedKey) throw new AppError('NOT_FOUND', 'That document does not exist.');
  try {
    const body = await streamDecrypted(storage.store, storage.masterKey, {
      storageKey: row.storageKey,
      wrappedKey: row.wrappedKey,
    });
    return { name: row.name, sizeBytes: row.sizeBytes, vaultId: row.vaultId, body };
  } catch (error) {
    if (error instanceof IntegrityError)
      throw new AppError('INTEGRITY_FAILED', error.message, { cause: error });
    throw error;
  }
}
