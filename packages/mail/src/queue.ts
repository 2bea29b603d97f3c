import type { TDatabase, TTransaction } from '@omg/db';
import { type SQL, sql } from 'drizzle-orm';

/** pg-boss keeps its tables in their own schema, created by `prepareMailQueue` as the admin role. */
export const PG_BOSS_SCHEMA = 'pgboss';
export const MAIL_QUEUE = 'outgoing-email';

/**
 * Retries while SMTP is down: 30–60 s, then doubling with jitter (pg-boss backoff) — 8½ to 17 hours over 10 retries,
 * after which the mail is marked `failed` with the last error.
 */
export const MAIL_RETRY = { retryLimit: 10, retryDelay: 30, retryBackoff: true } as const;

export interface TSqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss runs its own SQL (`$1`-style placeholders) through this, inside the caller's drizzle transaction, so a
 * job is inserted in the same transaction as the outbox row (and whatever caused the mail).
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
