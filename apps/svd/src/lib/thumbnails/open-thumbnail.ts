import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, isNull } from 'drizzle-orm';
import { documentsOf, requireSpaceAction, type TSpace } from '../spaces/space';
import { BlobNotFoundError, IntegrityError, openDecrypted, type TBlobStore } from '../storage';

const NO_THUMBNAIL = 'This document has no thumbnail.';

/**
 * A document's thumbnail (a WebP of a few KB), decrypted whole after its every segment checked: who may preview
 * the document may see it (the space's documents, read in a team; not in the trash), on every plan and state.
 * 404 while none is made yet, when it could not be made, or when it shows an older version of the document.
 */
export async function openThumbnail(
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  input: TSpace & { documentId: string },
): Promise<Buffer> {
  requireSpaceAction(input, 'read');
  const [row] = await db
    .select({ storageKey: schema.thumbnail.storageKey, wrappedKey: schema.thumbnail.wrappedKey })
    .from(schema.document)
    .innerJoin(
      schema.thumbnail,
      and(
        eq(schema.thumbnail.documentId, schema.document.id),
        eq(schema.thumbnail.sourceStorageKey, schema.document.storageKey),
        eq(schema.thumbnail.status, 'ready'),
      ),
    )
    .where(
      and(
        eq(schema.document.id, input.documentId),
        documentsOf(input),
        eq(schema.document.state, 'ready'),
        isNull(schema.document.trashedAt),
      ),
    );
  if (!row?.storageKey || !row.wrappedKey) throw new AppError('NOT_FOUND', NO_THUMBNAIL);
  try {
    const chunks: Buffer[] = [];
    const object = { storageKey: row.storageKey, wrappedKey: row.wrappedKey };
    for await (const chunk of await openDecrypted(storage.store, storage.masterKey, object))
      chunks.push(chunk);
    return Buffer.concat(chunks);
  } catch (error) {
    // A thumbnail is a nicety: a missing or damaged one is no thumbnail (the list shows the type's icon).
    if (error instanceof BlobNotFoundError || error instanceof IntegrityError) {
      throw new AppError('NOT_FOUND', NO_THUMBNAIL, { cause: error });
    }
    throw error;
  }
}
