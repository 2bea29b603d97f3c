import { createDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import PgBoss from 'pg-boss';
import type { TRenderInChildOptions } from '../thumbnails/render-in-child';
import { workThumbnails } from '../thumbnails/work-thumbnails';
import { type TVaultStorage, vaultStorage } from '../vault-storage';
import type { TExtractInChildOptions } from './extract-in-child';
import { indexDocument } from './index-document';
import { deadLetterQueue, INDEX_QUEUE, INDEX_QUEUE_SCHEMA, ZIndexJobSchema } from './index-queue';
import { recordIndexFailure } from './record-index-failure';

export interface TIndexWorker {
  stop(): Promise<void>;
}

export interface TIndexWorkerOptions {
  /** SVD's database role. */
  databaseUrl: string;
  log: TLogger;
  /** Documents extracted at once by this process (a child process each). */
  concurrency?: number;
  pollingIntervalSeconds?: number;
  /** How often this worker may run pg-boss's maintenance, which hands the jobs of dead workers to live ones. */
  maintenanceIntervalSeconds?: number;
  queue?: string;
  extraction?: Omit<TExtractInChildOptions, 'signal'>;
  /**
   * The thumbnail queue (lib/thumbnails) this worker also works, by default svd.make-thumbnail with the app's
   * storage; false: none (tests whose documents are stored elsewhere).
   */
  thumbnails?:
    | false
    | { queue?: string; storage?: TVaultStorage; render?: Omit<TRenderInChildOptions, 'signal'> };
}

/**
 * Works the indexing queue (svd.index-document) as SVD's role: each job runs indexDocument, whose extraction
 * happens in a child process with time and memory limits. Any number of these may run, in any number of
 * processes: pg-boss hands each job to one of them (SKIP LOCKED), and indexDocument records and charges once even
 * when a job runs twice. A job whose worker died stays active until it expires (INDEX_QUEUE_OPTIONS) and is then
 * retried by another worker; one whose every attempt failed that way lands in the dead-letter queue, which this
 * worker also works: the document is marked failed instead of staying "Indexing…". `stop` kills the children in
 * hand; their jobs are retried.
 */
export async function startIndexWorker(options: TIndexWorkerOptions): Promise<TIndexWorker> {
  const { log } = options;
  const { db, pool } = createDatabase(options.databaseUrl, {
    max: 2,
    applicationName: 'omg-svd-index-worker',
  });
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: INDEX_QUEUE_SCHEMA,
    migrate: false,
    schedule: false,
    max: 2,
    application_name: 'omg-svd-index-worker',
    ...(options.maintenanceIntervalSeconds
      ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds }
      : {}),
  });
  boss.on('error', (error) => log.error({ err: error }, 'index queue error'));
  await boss.start();
  const stopping = new AbortController();

  const queue = options.queue ?? INDEX_QUEUE;
  for (let i = 0; i < (options.concurrency ?? 1); i += 1) {
    // One job per fetch: pg-boss's time limit covers a whole batch, and each document has its own child anyway.
    await boss.work(
      queue,
      { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async ([job]) => {
        if (!job) return null;
        const { documentId } = ZIndexJobSchema.parse(job.data);
        const row = await indexDocument(db, {
          documentId,
          lastAttempt: job.retryCount >= job.retryLimit,
          log,
          extraction: { ...options.extraction, signal: stopping.signal },
        });
        log.info({ documentId, indexStatus: row?.indexStatus ?? null }, 'document indexing job done');
        return { indexStatus: row?.indexStatus ?? null };
      },
    );
  }

  if (options.thumbnails !== false) {
    const { storage, ...thumbnails } = options.thumbnails ?? {};
    await workThumbnails(boss, db, storage ?? vaultStorage(), {
      ...thumbnails,
      log,
      signal: stopping.signal,
    });
  }

  await boss.work(
    deadLetterQueue(queue),
    { batchSize: 1, pollingIntervalSeconds: Math.max(options.pollingIntervalSeconds ?? 1, 5) },
    async ([job]) => {
      if (!job) return null;
      const { documentId } = ZIndexJobSchema.parse(job.data);
      const row = await recordIndexFailure(db, documentId, 'its indexing was interrupted too many times');
      if (row) log.warn({ documentId }, 'indexing gave up after every attempt was interrupted');
      return { indexStatus: row?.indexStatus ?? null };
    },
  );

  return {
    async stop() {
      stopping.abort();
      await boss.stop({ graceful: true, timeout: 5_000, wait: true });
      await pool.end();
    },
  };
}
