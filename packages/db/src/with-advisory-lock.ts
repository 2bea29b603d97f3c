import { type SQL, sql } from 'drizzle-orm';
import type { TDatabase } from './client';

export type TTransaction = Parameters<Parameters<TDatabase['transaction']>[0]>[0];

/**
 * Runs `work` in a transaction that first takes a PostgreSQL advisory lock on `key`: everyone else asking for the
 * same key waits until this transaction ends (commit or rollback releases it). Called with a transaction, it
 * nests (a savepoint) and the lock lasts until the outer transaction ends, so one transaction can hold several
 * keys. Keys are any string; name them `<what>:<ids>` so two kinds of lock never collide.
 */
export async function withAdvisoryLock<T>(
  db: TDatabase | TTransaction,
  key: string,
  work: (tx: TTransaction) => Promise<T>,
  options: {
    /**
     * More select-list expressions evaluated in the lock's own statement, to save a round trip: only what does not
     * read data (a snapshot taken before the lock was granted may miss the previous holder's commit), such as
     * `set_config` for the transaction's own settings.
     */
    alsoSelect?: SQL;
  } = {},
): Promise<T> {
  return db.transaction(async (tx) => {
    const also = options.alsoSelect ? sql`, ${options.alsoSelect}` : sql``;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))${also}`);
    return work(tx);
  });
}
