import { createHash, randomUUID } from 'node:crypto';
import type { TDatabase } from '@omg/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';

/** A named limit: at most `limit` counted attempts per subject (an address bucket, an email) per window. */
export interface TRateLimitRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface TRateLimitResult {
  allowed: boolean;
  /** Seconds until the current window ends (when a refused subject may try again). */
  retryAfterSeconds: number;
}

const ZCounterRowSchema = z.object({
  count: z.coerce.number(),
  windowStart: z.coerce.number(),
  now: z.coerce.number(),
});

// Rows whose window ended long ago are deleted now and then; no window is longer than this.
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_ONE_IN = 100;

/**
 * The row's key: the rule's name and a hash of the subject, so an email (or whatever a client sent: NUL, megabytes)
 * is never stored in the table or put in an index as it came.
 */
export function rateLimitKey(rule: TRateLimitRule, subject: string): string {
  return `${rule.name}:${createHash('sha256').update(subject).digest('base64url')}`;
}

/**
 * Counts one attempt in PostgreSQL, so every Hub instance shares the count: one atomic
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` on core."RateLimit" (better-auth's table, which it also uses
 * through this function), the row lock serializing concurrent attempts on one key. Fixed window: it starts at
 * the first attempt after the previous one ended (not at clock boundaries) and lasts `windowSeconds`; the count
 * goes on past the limit but never moves the window, so a refused client is free again when it ends. Time is the
 * database's clock, the same for every instance. `lastRequest` holds the window's start.
 */
export async function consumeRateLimit(
  db: TDatabase,
  rule: TRateLimitRule,
  subject: string,
): Promise<TRateLimitResult> {
  const key = rateLimitKey(rule, subject);
  const windowMs = rule.windowSeconds * 1000;
  const now = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  const expired = sql`core."RateLimit"."lastRequest" <= ${now} - ${windowMs}`;
  const result = await db.execute(sql`
    INSERT INTO core."RateLimit" ("id", "key", "count", "lastRequest")
    VALUES (${randomUUID()}, ${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN ${expired} THEN 1 ELSE core."RateLimit"."count" + 1 END,
      "lastRequest" = CASE WHEN ${expired} THEN ${now} ELSE core."RateLimit"."lastRequest" END
    RETURNING "count", "lastRequest" AS "windowStart", ${now} AS "now"`);
  const row = ZCounterRowSchema.parse(result.rows[0]);
  if (Math.floor(Math.random() * PRUNE_ONE_IN) === 0) {
    await db.execute(sql`DELETE FROM core."RateLimit" WHERE "lastRequest" < ${now} - ${PRUNE_AFTER_MS}`);
  }
  return {
    allowed: row.count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((row.windowStart + windowMs - row.now) / 1000)),
  };
}

/**
 * Gives back one attempt counted under `subject` in the current window (a sign-in that turned out right is not a
 * failure).
 */
export async function releaseRateLimit(db: TDatabase, rule: TRateLimitRule, subject: string): Promise<void> {
  await db.execute(sql`
    UPDATE core."RateLimit" SET "count" = greatest("count" - 1, 0) WHERE "key" = ${rateLimitKey(rule, subject)}`);
}
