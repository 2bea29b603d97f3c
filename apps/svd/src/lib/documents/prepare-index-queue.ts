import PgBoss from 'pg-boss';
import { thumbnailQueueDefinitions } from '../thumbnails/thumbnail-queue';
import { deadLetterQueue, INDEX_QUEUE, INDEX_QUEUE_OPTIONS, INDEX_QUEUE_SCHEMA } from './index-queue';

/**
 * Creates (or upgrades) SVD's pg-boss schema, the indexing queue and its dead-letter queue, as the admin role: pg-boss creates a table
 * per queue, and SVD's role has no CREATE there. SVD and the workers then run pg-boss with `migrate: false` and
 * only read and write its rows (grants in @omg/db's applyRoleGrants, run after this). Safe to repeat.
 * `overrides`: tests use queues of their own, with short expiries.
 */
export async function prepareIndexQueue(
  adminUrl: string,
  queue: string = INDEX_QUEUE,
  overrides: Partial<{ expireInSeconds: number; retryLimit: number; retryDelay: number }> = {},
): Promise<void> {
  const boss = new PgBoss({
    connectionString: adminUrl,
    schema: INDEX_QUEUE_SCHEMA,
    supervise: false,
    schedule: false,
    max: 1,
  });
  boss.on('error', () => {});
  await boss.start();
  try {
    const dead = deadLetterQueue(queue);
    const queues = [
      // The dead-letter queue first: the indexing queue names it.
      { name: dead, ...INDEX_QUEUE_OPTIONS, policy: 'standard' as const },
      { name: queue, ...INDEX_QUEUE_OPTIONS, ...overrides, deadLetter: dead },
      // The thumbnail queue (lib/thumbnails), which enqueueIndexing fills in the same transaction.
      ...thumbnailQueueDefinitions(),
    ];
    for (const options of queues) {
      if (await boss.getQueue(options.name)) await boss.updateQueue(options.name, options);
      else await boss.createQueue(options.name, options);
    }
  } finally {
    await boss.stop({ graceful: false });
  }
}
