import { schema, type TDatabase } from '@omg/db';
import { eq, sql } from 'drizzle-orm';

/**
 * Marks a document whose text could not be read as `failed` with the note "could not be indexed: <reason>",
 * charging nothing — only while it is still 'pending', under the row's lock, so a run that already recorded a
 * result (or a deleted document) is left alone. `storageKey`: the content that failed; when a new version has
 * been swapped in since, nothing is recorded (that version's own job reads it). Returns the row it changed, or null.
 */
export async function recordIndexFailure(
  db: TDatabase,
  documentId: string,
  reason: string,
  storageKey?: string,
) {
  return db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: schema.document.id })
      .from(schema.document)
      .where(
        sql`${schema.document.id} = ${documentId} AND ${schema.document.indexStatus} = 'pending' AND (${storageKey ?? null}::text IS NULL OR ${schema.document.storageKey} = ${storageKey ?? null}) FOR UPDATE`,
      );
    if (!pending) return null;
    const [row] = await tx
      .update(schema.document)
      .set({
        indexStatus: 'failed',
        indexNote: `could not be indexed: ${reason}`,
        processingUnits: 0,
        textContent: null,
        updatedAt: sql`now()`,
      })
      .where(eq(schema.document.id, documentId))
      .returning();
    return row ?? null;
  });
}
