import type { TTransaction } from '@omg/db';
import PgBoss from 'pg-boss';
import { enqueueThumbnail } from '../thumbnails/enqueue-thumbnail';
import { drizzleExecutor, INDEX_QUEUE, INDEX_QUEUE_SCHEMA, type TIndexJob } from './index-queue';

/**
 * Queues the indexing of a document inside the caller's transaction — the one that makes the document `ready` —
 * so a document is never ready without its job (nor a job without its document), whatever dies when: there is no
 * window between the commit and a send. The document id is the singleton key: while a job for it is queued, a
 * second enqueue writes nothing. `queue`: tests use a queue of their own.
 */
export async function enqueueIndexing(
  tx: TTransaction,
  documentId: string,
  options: { queue?: string } = {},
): Promise<void> {
  const executor = drizzleExecutor(tx);
  // A pg-boss instance over the transaction only: it opens no pool and is never started.
  const boss = new PgBoss({ db: executor, schema: INDEX_QUEUE_SCHEMA });
  const job: TIndexJob = { documentId };
  await boss.send(options.queue ?? INDEX_QUEUE, job, { singletonKey: documentId, db: executor });
  // An image's or PDF's thumbnail job goes in the same transaction (none for other types).
  await enqueueThumbnail(tx, documentId);
}
