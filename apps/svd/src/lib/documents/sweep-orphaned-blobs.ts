import { schema, type TDatabase } from '@omg/db';
import { asc, eq, sql } from 'drizzle-orm';
import type { TBlobStore } from '../storage';
import { deleteBlob } from '../storage/delete-blob';

export interface TSweepReport {
  /** Keys whose blob is now gone; their rows were removed. */
  removed: string[];
  /** Keys the store still refused; their rows stay, with the new error and one more attempt counted. */
  failed: { storageKey: string; error: string }[];
}

/**
 * Retries every recorded orphaned blob (oldest first): deletes it from the store, then its row. Deleting a
 * missing blob succeeds, so a blob removed by hand, or by an earlier sweep that died before removing the row,
 * simply clears. Safe to run at any time and any number of times: the keys belong to no document any more.
 */
export async function sweepOrphanedBlobs(db: TDatabase, store: TBlobStore): Promise<TSweepReport> {
  const orphans = await db
    .select({ storageKey: schema.orphanedBlob.storageKey })
    .from(schema.orphanedBlob)
    .orderBy(asc(schema.orphanedBlob.createdAt));
  const report: TSweepReport = { removed: [], failed: [] };
  for (const { storageKey } of orphans) {
    try {
      // A composed blob's manifest is deleted last, so a retry still finds the parts a failed deletion left.
      await deleteBlob(store, storageKey);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db
        .update(schema.orphanedBlob)
        .set({
          lastError: message,
          attempts: sql`${schema.orphanedBlob.attempts} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(schema.orphanedBlob.storageKey, storageKey));
      report.failed.push({ storageKey, error: message });
      continue;
    }
    await db.delete(schema.orphanedBlob).where(eq(schema.orphanedBlob.storageKey, storageKey));
    report.removed.push(storageKey);
  }
  return report;
}
