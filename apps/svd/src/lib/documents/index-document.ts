import { schema, type TDatabase, type TTransaction } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { processingOwnerOf, processingUsageOf } from '../spaces/space';
import { ExtractionFailedError, extractInChild, type TExtractInChildOptions } from './extract-in-child';
import type { TExtraction } from './extract-text';
import { recordIndexFailure } from './record-index-failure';

/** PostgreSQL refuses a tsvector over 1 MB; this much text stays well under it and covers any real document. */
const MAX_SEARCH_TEXT_CHARS = 300_000;

export interface TIndexDocumentInput {
  documentId: string;
  /** The job's last allowed attempt: a failure that could pass on retry is recorded now instead. */
  lastAttempt: boolean;
  log: TLogger;
  extraction?: TExtractInChildOptions;
}

type TDocumentRow = typeof schema.document.$inferSelect;

/**
 * The indexing job of one document (queue svd.index-document): extracts its text in a child process with time
 * and memory limits and, if the period's processing units allow, stores it for search and charges the units
 * (SPEC §3). When the units are spent the document is "not indexed" and says why. When the text cannot be read
 * (the parser hangs or runs out of memory, the blob is unreadable) it is "failed" with the note
 * "could not be indexed: <reason>", charged nothing, and a warning is logged with the document id.
 *
 * Runs any number of times for a document, also at once (a retried job, two workers): only the run that finds
 * it still 'pending', under the row's lock, records the result and charges — in one transaction — so units are
 * charged once. Returns the row it recorded, or null when there was nothing to do (done already, or deleted).
 * Throws when the failure may pass (the child crashed, the worker is stopping) and this is not the last attempt,
 * so the queue retries it.
 */
export async function indexDocument(db: TDatabase, input: TIndexDocumentInput): Promise<TDocumentRow | null> {
  const [document] = await db.select().from(schema.document).where(eq(schema.document.id, input.documentId));
  if (document?.state !== 'ready' || document.indexStatus !== 'pending') return null;
  if (!document.storageKey || !document.wrappedKey) {
    return recordIndexFailure(db, input.documentId, 'the file could not be read (it has no stored content)');
  }
  let extraction: TExtraction;
  try {
    extraction = await extractInChild(
      {
        storageKey: document.storageKey,
        wrappedKey: document.wrappedKey,
        mimeType: document.mimeType,
        fileName: document.name,
        sizeBytes: document.sizeBytes,
        maxTextChars: MAX_SEARCH_TEXT_CHARS,
      },
      input.extraction,
    );
  } catch (error) {
    if (!(error instanceof ExtractionFailedError) || (!error.permanent && !input.lastAttempt)) {
      input.log.warn({ err: error, documentId: input.documentId }, 'text extraction failed; retried later');
      throw error;
    }
    input.log.warn(
      { err: error, documentId: input.documentId, reason: error.reason },
      'text extraction failed; the document is stored without searchable text',
    );
    return recordIndexFailure(db, input.documentId, error.explanation, document.storageKey);
  }
  return recordExtraction(db, input, extraction, document.storageKey);
}

/**
 * Locks the document while it is still 'pending' with the content that was read; another run that got there
 * first leaves nothing to lock. So does a new version or a restored one swapped in while this run was reading
 * (issue 16): its own job, queued by the swap, reads and records the content the document has now, and this run's
 * text of the former content is dropped instead of standing in for it.
 */
async function lockPending(tx: TTransaction, documentId: string, storageKey: string) {
  const [row] = await tx
    .select({ id: schema.document.id })
    .from(schema.document)
    .where(
      sql`${schema.document.id} = ${documentId} AND ${schema.document.indexStatus} = 'pending' AND ${schema.document.storageKey} = ${storageKey} FOR UPDATE`,
    );
  return row !== undefined;
}

async function recordExtraction(
  db: TDatabase,
  input: TIndexDocumentInput,
  extraction: TExtraction,
  storageKey: string,
) {
  const [owner] = await db
    .select({ userId: schema.document.userId, organizationId: schema.document.organizationId })
    .from(schema.document)
    .where(eq(schema.document.id, input.documentId));
  if (!owner) return null;
  // A team's document spends the team's pooled units under its plan (issue 15), not the uploader's own.
  const { periodStart, entitlement } = await getVaultStatus(db, owner);
  // A document whose content the extractor refused (encrypted, damaged, …) costs nothing and says why; its
  // name stays searchable.
  const readable = extraction.skippedReason === null;
  const units = readable ? extraction.units : 0;

  return db.transaction(async (tx) => {
    if (!(await lockPending(tx, input.documentId, storageKey))) return null;
    let charged = true;
    if (units > 0) {
      await tx
        .insert(schema.processingUsage)
        .values({ ...processingOwnerOf(owner), periodStart, unitsUsed: 0 })
        .onConflictDoNothing();
      const [usage] = await tx
        .select({ used: schema.processingUsage.unitsUsed })
        .from(schema.processingUsage)
        .where(
          sql`${processingUsageOf(owner)} AND ${schema.processingUsage.periodStart} = ${periodStart} FOR UPDATE`,
        );
      charged = (usage?.used ?? 0) + units <= entitlement.limits.processingUnitsPerMonth;
      if (charged) {
        await tx
          .update(schema.processingUsage)
          .set({ unitsUsed: sql`${schema.processingUsage.unitsUsed} + ${units}`, updatedAt: sql`now()` })
          .where(and(processingUsageOf(owner), eq(schema.processingUsage.periodStart, periodStart)));
      }
    }
    // What the badge says (issue 16): an unreadable file "could not be indexed" and says why ('failed', as
    // recordIndexFailure records it); one with nothing to read (images, binaries, a scan without a text layer)
    // has "no text"; a readable one is "not indexed" only when the units were spent.
    const hasText = readable && (extraction.text?.trim().length ?? 0) > 0;
    const indexStatus = !readable ? 'failed' : !hasText ? 'no_text' : charged ? 'indexed' : 'not_indexed';
    const note = !readable
      ? `could not be indexed: ${extraction.skippedReason}`
      : indexStatus !== 'not_indexed'
        ? null
        : `Not indexed: this month's ${entitlement.limits.processingUnitsPerMonth} processing units are used up (this document needs ${units}). Its name is still searchable.`;
    const [row] = await tx
      .update(schema.document)
      .set({
        indexStatus,
        indexNote: note,
        processingUnits: charged ? units : 0,
        pages: extraction.pages,
        textContent: readable && charged ? extraction.text : null,
        updatedAt: sql`now()`,
      })
      .where(eq(schema.document.id, input.documentId))
      .returning();
    return row ?? null;
  });
}
