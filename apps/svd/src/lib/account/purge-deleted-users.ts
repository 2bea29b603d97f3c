import { purgeDueBefore } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { and, eq, exists, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { discardBlob } from '../documents/discard-blob';
import type { TBlobStore } from '../storage';

export interface TPurgeReport {
  /** Users whose SecureVault Docs data was removed in this run. */
  purgedUsers: string[];
  documents: number;
  /** Blobs the store would not delete: recorded in securevault."OrphanedBlob" for `npm run svd:sweep-blobs`. */
  blobsLeftForSweep: number;
}

/**
 * SecureVault Docs' own deleting for accounts deleted in the Hub (core."User".deletedAt, which SVD may read) once
 * the grace period (ACCOUNT_DELETION_GRACE_DAYS) has passed: each document's row, then its encrypted blob (a blob
 * the store refuses goes to the sweep, as a deleted document's does), the vaults, usage, sessions and the profile.
 * Safe to run any number of times; a user with nothing left in SVD is not touched again.
 */
export async function purgeDeletedUsers(
  db: TDatabase,
  store: TBlobStore,
  options: { now?: Date; log: TLogger },
): Promise<TPurgeReport> {
  const due = purgeDueBefore(options.now ?? new Date());
  const owns = (table: typeof schema.vault | typeof schema.userProfile) =>
    exists(db.select({ one: table.userId }).from(table).where(eq(table.userId, schema.user.id)));
  const users = await db
    .select({ id: schema.user.id })
    .from(schema.user)
    .where(
      and(
        isNotNull(schema.user.deletedAt),
        lt(schema.user.deletedAt, due),
        or(owns(schema.vault), owns(schema.userProfile)),
      ),
    );
  const report: TPurgeReport = { purgedUsers: [], documents: 0, blobsLeftForSweep: 0 };
  for (const { id: userId } of users) {
    // Unfinished resumable uploads keep their stored parts under keys no document row names: deleted by key.
    const uploads = await db
      .delete(schema.resumableUpload)
      .where(eq(schema.resumableUpload.userId, userId))
      .returning({ parts: schema.resumableUpload.parts });
    for (const part of uploads.flatMap((upload) => upload.parts)) {
      const gone = await discardBlob(db, store, part, { reason: 'upload_part', log: options.log });
      if (!gone) report.blobsLeftForSweep++;
    }
    const documents = await db
      .delete(schema.document)
      // What they uploaded to a team vault stays with the team (issue 15); only their personal documents go.
      .where(and(eq(schema.document.userId, userId), isNull(schema.document.organizationId)))
      .returning({ storageKey: schema.document.storageKey });
    for (const { storageKey } of documents) {
      if (!storageKey) continue;
      const gone = await discardBlob(db, store, storageKey, { reason: 'document_deleted', log: options.log });
      if (!gone) report.blobsLeftForSweep++;
    }
    await db.transaction(async (tx) => {
      // Their personal folders (issue 16), emptied above, go before the vaults they sit in.
      await tx
        .delete(schema.folder)
        .where(and(eq(schema.folder.userId, userId), isNull(schema.folder.organizationId)));
      await tx
        .delete(schema.vault)
        .where(and(eq(schema.vault.userId, userId), isNull(schema.vault.organizationId)));
      await tx.delete(schema.processingUsage).where(eq(schema.processingUsage.userId, userId));
      await tx.delete(schema.svdSession).where(eq(schema.svdSession.userId, userId));
      await tx.delete(schema.usedLaunchToken).where(eq(schema.usedLaunchToken.userId, userId));
      await tx.delete(schema.userProfile).where(eq(schema.userProfile.userId, userId));
      // Nor is the account named any more in a team vault's member list (issue 15; the Hub removed the
      // memberships when the account was deleted).
      await tx
        .update(schema.vaultAccess)
        .set({ userIds: sql`array_remove(${schema.vaultAccess.userIds}, ${userId})` })
        .where(sql`${userId} = any(${schema.vaultAccess.userIds})`);
    });
    report.purgedUsers.push(userId);
    report.documents += documents.length;
  }
  return report;
}
