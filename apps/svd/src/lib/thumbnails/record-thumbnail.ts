import { schema, type TDatabase } from '@omg/db';
import { eq, sql } from 'drizzle-orm';

export type TThumbnailRecord =
  | {
      status: 'ready';
      storageKey: string;
      wrappedKey: string;
      sizeBytes: number;
      width: number;
      height: number;
    }
  | { status: 'failed'; note: string };

/**
 * Records a thumbnail (or why there is none) for the document blob `sourceStorageKey`, only while the document
 * still has that blob — locked for the write, so a delete or a new version cannot slip in between. Returns
 * whether it was recorded and the key of the thumbnail blob it replaced (the caller discards it); when not
 * recorded, the caller discards the blob it made (its document is gone or moved on).
 */
export async function recordThumbnail(
  db: TDatabase,
  input: { documentId: string; sourceStorageKey: string; record: TThumbnailRecord },
): Promise<{ recorded: boolean; replacedStorageKey: string | null }> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ storageKey: schema.document.storageKey })
      .from(schema.document)
      .where(sql`${schema.document.id} = ${input.documentId} FOR SHARE`);
    if (current?.storageKey !== input.sourceStorageKey) return { recorded: false, replacedStorageKey: null };
    const [previous] = await tx
      .select({ storageKey: schema.thumbnail.storageKey })
      .from(schema.thumbnail)
      .where(sql`${schema.thumbnail.documentId} = ${input.documentId} FOR UPDATE`);
    const { record } = input;
    const values = {
      sourceStorageKey: input.sourceStorageKey,
      status: record.status,
      storageKey: record.status === 'ready' ? record.storageKey : null,
      wrappedKey: record.status === 'ready' ? record.wrappedKey : null,
      sizeBytes: record.status === 'ready' ? record.sizeBytes : null,
      width: record.status === 'ready' ? record.width : null,
      height: record.status === 'ready' ? record.height : null,
      note: record.status === 'failed' ? record.note : null,
      updatedAt: sql`now()`,
    };
    if (previous) {
      await tx.update(schema.thumbnail).set(values).where(eq(schema.thumbnail.documentId, input.documentId));
    } else {
      await tx.insert(schema.thumbnail).values({ documentId: input.documentId, ...values });
    }
    const replaced = previous?.storageKey ?? null;
    return {
      recorded: true,
      replacedStorageKey: replaced && replaced !== values.storageKey ? replaced : null,
    };
  });
}
