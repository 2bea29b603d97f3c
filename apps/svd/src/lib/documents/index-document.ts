import type { Readable } from 'node:stream';
import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq, sql } from 'drizzle-orm';
import type { TVaultStatus } from '../entitlements/get-vault-status';
import { extractDocumentText } from './extract-text';

/** PostgreSQL refuses a tsvector over 1 MB; this much text stays well under it and covers any real document. */
const MAX_SEARCH_TEXT_CHARS = 300_000;

/**
 * Extracts the document's text and, if the period's processing units allow, stores it for search and charges the
 * units (SPEC §3). When the units are spent the document stays, marked "not indexed", and says why. When the
 * text cannot be read at all (extraction fails, the blob cannot be read back) the document stays too, "not
 * indexed" with a note the user sees, and the failure is logged as a warning with the document id.
 */
export async function indexDocument(
  db: TDatabase,
  input: { documentId: string; userId: string; source: Readable; status: TVaultStatus; log: TLogger },
) {
  const [document] = await db.select().from(schema.document).where(eq(schema.document.id, input.documentId));
  if (!document) throw new Error(`document ${input.documentId} vanished while indexing`);
  const extraction = await extractDocumentText(
    {
      source: input.source,
      mimeType: document.mimeType,
      fileName: document.name,
      sizeBytes: document.sizeBytes,
    },
    { maxTextChars: MAX_SEARCH_TEXT_CHARS },
  ).catch((error: unknown) => {
    input.log.warn(
      { err: error, documentId: input.documentId },
      'text extraction failed; the document is stored without searchable text',
    );
    return null;
  });
  // A document we could not read costs nothing and says why; its name stays searchable.
  const readable = extraction !== null && extraction.skippedReason === null;
  const units = readable ? extraction.units : 0;
  const { periodStart, entitlement } = input.status;

  return db.transaction(async (tx) => {
    let charged = true;
    if (units > 0) {
      await tx
        .insert(schema.processingUsage)
        .values({ userId: input.userId, periodStart, unitsUsed: 0 })
        .onConflictDoNothing();
      const [usage] = await tx
        .select({ used: schema.processingUsage.unitsUsed })
        .from(schema.processingUsage)
        .where(
          sql`${schema.processingUsage.userId} = ${input.userId} AND ${schema.processingUsage.periodStart} = ${periodStart} FOR UPDATE`,
        );
      charged = (usage?.used ?? 0) + units <= entitlement.limits.processingUnitsPerMonth;
      if (charged) {
        await tx
          .update(schema.processingUsage)
          .set({ unitsUsed: sql`${schema.processingUsage.unitsUsed} + ${units}`, updatedAt: sql`now()` })
          .where(
            sql`${schema.processingUsage.userId} = ${input.userId} AND ${schema.processingUsage.periodStart} = ${periodStart}`,
          );
      }
    }
    const note = !readable
      ? (extraction?.skippedReason ?? 'The text of this document could not be read.')
      : charged
        ? null
        : `Not indexed: this month's ${entitlement.limits.processingUnitsPerMonth} processing units are used up (this document needs ${units}). Its name is still searchable.`;
    const [row] = await tx
      .update(schema.document)
      .set({
        indexStatus: readable && charged ? 'indexed' : 'not_indexed',
        indexNote: note,
        processingUnits: charged ? units : 0,
        pages: extraction?.pages ?? null,
        textContent: readable && charged ? extraction.text : null,
        updatedAt: sql`now()`,
      })
      .where(eq(schema.document.id, input.documentId))
      .returning();
    if (!row) throw new Error(`document ${input.documentId} vanished while indexing`);
    return row;
  });
}
