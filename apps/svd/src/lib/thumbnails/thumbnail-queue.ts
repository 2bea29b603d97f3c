import { z } from 'zod';
import { deadLetterQueue, INDEX_QUEUE_OPTIONS } from '../documents/index-queue';

/**
 * One job per uploaded image or PDF (in svd_queue beside the indexing queue): make its thumbnail. Queued in the
 * transaction that makes the document ready (enqueueIndexing queues both), worked by the same worker processes.
 */
export const THUMBNAIL_QUEUE = 'svd.make-thumbnail';

/**
 * Like indexing's (one job per document at a time, retried with backoff, expiring well above the renderer's own
 * time limit), with fewer retries: a thumbnail is a nicety, and a file that cannot be drawn is recorded as such.
 */
export const THUMBNAIL_QUEUE_OPTIONS = { ...INDEX_QUEUE_OPTIONS, retryLimit: 2 } as const;

export const ZThumbnailJobSchema = z.object({ documentId: z.string().uuid() });
export type TThumbnailJob = z.infer<typeof ZThumbnailJobSchema>;

/** The queue and its dead-letter queue as prepareIndexQueue creates them (the dead-letter one first). */
export function thumbnailQueueDefinitions(queue: string = THUMBNAIL_QUEUE) {
  const dead = deadLetterQueue(queue);
  return [
    { name: dead, ...THUMBNAIL_QUEUE_OPTIONS, policy: 'standard' as const },
    { name: queue, ...THUMBNAIL_QUEUE_OPTIONS, deadLetter: dead },
  ];
}
