import type { TDatabase, TTransaction } from '@omg/db';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';

/**
 * SVD's own pg-boss schema, apart from the Hub's `pgboss` (its mail): each app's role reads and writes only its
 * own queue's rows, and neither sees the other's jobs. Created (with the queue) by `prepareIndexQueue` as admin.
 */
export const INDEX_QUEUE_SCHEMA = 'svd_queue';
/** One job per uploaded document: extract its text for search and charge its processing units. */
export const INDEX_QUEUE = 'svd.index-document';

/**
 * The queue's policy and defaults. `stately`: at most one queued, one retrying and one running job per document
 * (singletonKey = document id), so a duplicate enqueue collapses. A job runs at most `expireInSeconds`; a worker
 * killed mid-job leaves it active until then, when pg-boss's maintenance hands it to the next worker. That must
 * stay well above the extraction's own time limit, which is what stops a hanging parser.
 */
export const INDEX_QUEUE_OPTIONS = {
  policy: 'stately',
  retryLimit: 5,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 120,
} as const;

/**
 * Where pg-boss puts a job that failed its last attempt without recording anything (every attempt's worker died,
 * or the database failed it): its worker marks the document failed, so none stays "Indexing…" for ever.
 */
export function deadLetterQueue(queue: string): string {
  return `${queue}.dead`;
}

export const ZIndexJobSchema = z.object({ documentId: z.string().uuid() });
export type TIndexJob = z.infer<typeof ZIndexJobSchema>;

export interface TSqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss runs its SQL (`$1` placeholders) through this inside the caller's drizzle transaction, so the job is
 * written in the same transaction as the document it is about (the same adapter as @omg/mail's, which SVD does
 * not depend on).
 */
export function drizzleExecutor(database: TDatabase | TTransaction): TSqlExecutor {
  return {
    async executeSql(text, values = []) {
      const chunks: SQL[] = text
        .split(/\$(\d+)/)
        .map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1] ?? null}`));
      const result = await database.execute(sql.join(chunks));
      return { rows: result.rows };
    },
  };
}
