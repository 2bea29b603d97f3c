import { schema, type TTransaction } from '@omg/db';
import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { drizzleExecutor, INDEX_QUEUE_SCHEMA } from '../documents/index-queue';
import { THUMBNAIL_QUEUE, type TThumbnailJob } from './thumbnail-queue';
import { mayHaveThumbnail } from './thumbnail-types';

/**
 * Queues the thumbnail of an image or PDF inside the caller's transaction (the one that makes it ready, through
 * enqueueIndexing), so a ready image never lacks its job; other types queue nothing. The document id is the
 * singleton key, as for indexing. `queue`: tests use a queue of their own.
 */
export async function enqueueThumbnail(
  tx: TTransaction,
  documentId: string,
  options: { queue?: string } = {},
): Promise<void> {
  const [row] = await tx
    .select({ mimeType: schema.document.mimeType })
    .from(schema.document)
    .where(eq(schema.document.id, documentId));
  if (!row || !mayHaveThumbnail(row.mimeType)) return;
  const executor = drizzleExecutor(tx);
  // As enqueueIndexing: a pg-boss over the transaction only, never started.
  const boss = new PgBoss({ db: executor, schema: INDEX_QUEUE_SCHEMA });
  const job: TThumbnailJob = { documentId };
  await boss.send(options.queue ?? THUMBNAIL_QUEUE, job, { singletonKey: documentId, db: executor });
}
