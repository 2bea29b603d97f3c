import { createHash } from 'node:crypto';
import type { TDatabase } from '@omg/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';

/** A named limit: at most `limit` counted attempts per subject (an address bucket, a link) per window. */
export interface TRateLimitRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface TRateLimitResult {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

const ZCounterRowSchema = z.object({
  count: z.coerce.number(),
  windowStart: z.coerce.number(),
  now: z.coerce.number(),
});

const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_ONE_IN = 100;

const keyOf = (rule: TRateLimitRule, subject: string) =>
  `${rule.name}:${createHash('sha256').update(subject).digest('base64url')}`;

/**
 * The Hub's limiter (apps/hub/src/lib/rate-limit/consume-rate-limit.ts) on SVD's own table, securevault."RateLimit"
 * (SVD's role may not write core."RateLimit"): one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING counts the
 * attempt, shared by every SVD instance; a fixed window starting at the first attempt after the previous one
 * ended; the database's clock. Subjects are stored hashed, so no address or token sits in the table.
 */
export async function consumeRateLimit(
  db: TDatabase,
  rule: TRateLimitRule,
  subject: string,
): Promise<TRateLimitResult> {
  const key = keyOf(rule, subject);
  const windowMs = rule.windowSeconds * 1000;
  const now = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  const expired = sql`securevault."RateLimit"."windowStart" <= ${now} - ${windowMs}`;
  const result = await db.execute(sql`
    INSERT INTO securevault."RateLimit" ("key", "count", "windowStart")
    VALUES (${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN ${expired} THEN 1 ELSE securevault."RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN ${expired} THEN ${now} ELSE securevault."RateLimit"."windowStart" END
    RETURNING "count", "windowStart", ${now} AS "now"`);
  const row = ZCounterRowSchema.parse(result.rows[0]);
  if (Math.floor(Math.random() * PRUNE_ONE_IN) === 0) {
    await db.execute(
      sql`DELETE FROM securevault."RateLimit" WHERE "windowStart" < ${now} - ${PRUNE_AFTER_MS}`,
    );
  }
  return {
    allowed: row.count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((row.windowStart + windowMs - row.now) / 1000)),
  };
}

/** Gives back one attempt (a right password is not a failure). */
export async function releaseRateLimit(db: TDatabase, rule: TRateLimitRule, subject: string): Promise<void> {
  await db.execute(sql`
    UPDATE securevault."RateLimit" SET "count" = greatest("count" - 1, 0) WHERE "key" = ${keyOf(rule, subject)}`);
}
