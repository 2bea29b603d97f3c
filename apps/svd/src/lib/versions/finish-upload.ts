import { randomUUID } from 'node:crypto';
import { schema, type TTransaction } from '@omg/db';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { enqueueIndexing } from '../documents/enqueue-indexing';
import { currentContent } from './current-content';
import { keepVersionsFor, pruneVersions } from './prune-versions';

/**
 * The last step of every upload (simple or tus), inside the transaction that turned its reservation `ready`:
 * queues the indexing — and, when the upload was chosen as a new version (securevault."VersionUpload"),
 * first makes it one. Then, in this same transaction, the document's current content (blob, key, size, hash,
 * type) becomes its newest former version, the upload's content becomes the document's, the reservation row
 * goes (its tus upload row, if any, now points at the document, so a client that missed the last answer still
 * learns it finished), the versions beyond the space's setting are pruned, and the document is re-indexed so
 * search covers the current text. The quota does not move: the reservation's bytes become the document's, the
 * document's former bytes a version's. A target deleted or trashed meanwhile leaves the upload a document of
 * its own. Returns the id of the document the upload ended in and the storage keys of pruned versions, whose
 * blobs the caller discards after the commit (discardVersionBlobs).
 */
export async function finishUpload(
  tx: TTransaction,
  documentId: string,
  options: { queue?: string } = {},
): Promise<{ documentId: string; prunedStorageKeys: string[] }> {
  const d = schema.document;
  const [pending] = await tx
    .delete(schema.versionUpload)
    .where(eq(schema.versionUpload.documentId, documentId))
    .returning({ targetDocumentId: schema.versionUpload.targetDocumentId });
  const [target] = pending
    ? await tx
        .select()
        .from(d)
        .where(and(eq(d.id, pending.targetDocumentId), eq(d.state, 'ready'), isNull(d.trashedAt)))
        .for('update')
    : [];
  if (!target?.storageKey || !target.wrappedKey) {
    await enqueueIndexing(tx, documentId, options);
    return { documentId, prunedStorageKeys: [] };
  }

  const r = schema.resumableUpload;
  await tx.delete(r).where(and(eq(r.documentId, target.id), isNotNull(r.completedAt)));
  await tx.update(r).set({ documentId: target.id }).where(eq(r.documentId, documentId));
  const [upload] = await tx.delete(d).where(eq(d.id, documentId)).returning();
  if (!upload?.storageKey || !upload.wrappedKey)
    throw new Error(`upload ${documentId} has no stored content`);

  const former = await currentContent(tx, target);
  await tx.insert(schema.documentVersion).values({
    id: randomUUID(),
    documentId: target.id,
    storageKey: target.storageKey,
    wrappedKey: target.wrappedKey,
    sizeBytes: target.sizeBytes,
    sha256: target.sha256,
    mimeType: target.mimeType,
    uploadedBy: former.by,
    createdAt: former.since,
    replacedBy: upload.userId,
  });
  await tx
    .update(d)
    .set({
      storageKey: upload.storageKey,
      wrappedKey: upload.wrappedKey,
      sizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
      mimeType: upload.mimeType,
      indexStatus: 'pending',
      indexNote: null,
      textContent: null,
      pages: null,
      updatedAt: sql`now()`,
    })
    .where(eq(d.id, target.id));
  const keep = await keepVersionsFor(tx, target.organizationId ?? target.userId);
  const prunedStorageKeys = await pruneVersions(tx, eq(d.id, target.id), keep);
  await enqueueIndexing(tx, target.id, options);
  return { documentId: target.id, prunedStorageKeys };
}
