import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { eq } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { deadLetterQueue } from '../documents/index-queue';
import type { TBlobStore } from '../storage';
import { makeThumbnail } from './make-thumbnail';
import { recordThumbnail } from './record-thumbnail';
import type { TRenderInChildOptions } from './render-in-child';
import { THUMBNAIL_QUEUE, ZThumbnailJobSchema } from './thumbnail-queue';

/**
 * Works the thumbnail queue on a started pg-boss (the index worker's: same processes, same role), one job per
 * fetch, and its dead-letter queue: a document whose every attempt died is recorded as 'failed' instead of
 * being retried for ever. `signal` aborts the children in hand when the worker stops.
 */
export async function workThumbnails(
  boss: PgBoss,
  db: TDatabase,
  storage: { store: TBlobStore; masterKey: Buffer },
  options: {
    log: TLogger;
    signal: AbortSignal;
    queue?: string;
    concurrency?: number;
    pollingIntervalSeconds?: number;
    render?: Omit<TRenderInChildOptions, 'signal'>;
  },
): Promise<void> {
  const { log } = options;
  const queue = options.queue ?? THUMBNAIL_QUEUE;
  for (let i = 0; i < (options.concurrency ?? 1); i += 1) {
    await boss.work(
      queue,
      { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async ([job]) => {
        if (!job) return null;
        const { documentId } = ZThumbnailJobSchema.parse(job.data);
        const outcome = await makeThumbnail(db, storage, {
          documentId,
          lastAttempt: job.retryCount >= job.retryLimit,
          log,
          render: { ...options.render, signal: options.signal },
        });
        log.info({ documentId, thumbnail: outcome }, 'thumbnail job done');
        return { thumbnail: outcome };
      },
    );
  }
  await boss.work(
    deadLetterQueue(queue),
    { batchSize: 1, pollingIntervalSeconds: Math.max(options.pollingIntervalSeconds ?? 1, 5) },
    async ([job]) => {
      if (!job) return null;
      const { documentId } = ZThumbnailJobSchema.parse(job.data);
      const [document] = await db
        .select({ storageKey: schema.document.storageKey })
        .from(schema.document)
        .where(eq(schema.document.id, documentId));
      if (!document?.storageKey) return { thumbnail: 'skipped' };
      const { recorded } = await recordThumbnail(db, {
        documentId,
        sourceStorageKey: document.storageKey,
        record: { status: 'failed', note: 'drawing it was interrupted too many times' },
      });
      if (recorded) log.warn({ documentId }, 'thumbnail gave up after every attempt was interrupted');
      return { thumbnail: recorded ? 'failed' : 'skipped' };
    },
  );
}
