import { createHash, randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TDatabase } from '../client';
import { rateLimit } from '../schema/core';
import { svdRateLimit } from '../schema/securevault-shares';

/** A named limit: at most `limit` counted attempts per subject (an address bucket, an email, a link) per window. */
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

/**
 * Where a limiter counts. Each app counts in its own schema's table, the one its database role may write
 * (roles.ts keeps SVD out of core and the Hub out of securevault): the same counter on two tables.
 */
export interface TRateLimitTable {
  table: typeof rateLimit | typeof svdRateLimit;
  /** The column holding the window's start (ms since the epoch, the database's clock). */
  windowStart: typeof rateLimit.lastRequest | typeof svdRateLimit.windowStart;
  /** core."RateLimit" is also better-auth's table, whose rows carry an id of their own. */
  withRowId: boolean;
}

/** The Hub's counters: core."RateLimit" (better-auth's table, which it also uses through this function). */
export const HUB_RATE_LIMITS: TRateLimitTable = {
  table: rateLimit,
  windowStart: rateLimit.lastRequest,
  withRowId: true,
};

/** SVD's counters: securevault."RateLimit" (SVD's role may not write core."RateLimit"). */
export const SVD_RATE_LIMITS: TRateLimitTable = {
  table: svdRateLimit,
  windowStart: svdRateLimit.windowStart,
  withRowId: false,
};

const ZCounterRowSchema = z.object({
  count: z.coerce.number(),
  windowStart: z.coerce.number(),
  now: z.coerce.number(),
});

// Rows whose window ended long ago are deleted now and then; no window is longer than this.
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const PRUNE_ONE_IN = 100;

/**
 * The row's key: the rule's name and a hash of the subject, so an email, an address or a link's token (or whatever
 * a client sent: NUL, megabytes) is never stored in the table or put in an index as it came.
 */
export function rateLimitKey(rule: TRateLimitRule, subject: string): string {
  return `${rule.name}:${createHash('sha256').update(subject).digest('base64url')}`;
}

/**
 * Counts one attempt in PostgreSQL, so every instance of the app shares the count: one atomic
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the app's table, the row lock serializing concurrent attempts
 * on one key. Fixed window: it starts at the first attempt after the previous one ended (not at clock
 * boundaries) and lasts `windowSeconds`; the count goes on past the limit but never moves the window, so a
 * refused client is free again when it ends. Time is the database's clock, the same for every instance.
 */
export async function consumeRateLimit(
  db: TDatabase,
  where: TRateLimitTable,
  rule: TRateLimitRule,
  subject: string,
): Promise<TRateLimitResult> {
  const { table, windowStart } = where;
  const windowColumn = sql.identifier(windowStart.name);
  const key = rateLimitKey(rule, subject);
  const windowMs = rule.windowSeconds * 1000;
  const now = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  const expired = sql`${windowStart} <= ${now} - ${windowMs}`;
  const rowId: { column: SQL; value: SQL } = where.withRowId
    ? { column: sql`"id", `, value: sql`${randomUUID()}, ` }
    : { column: sql``, value: sql`` };
  const result = await db.execute(sql`
    INSERT INTO ${table} (${rowId.column}"key", "count", ${windowColumn})
    VALUES (${rowId.value}${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN ${expired} THEN 1 ELSE ${table.count} + 1 END,
      ${windowColumn} = CASE WHEN ${expired} THEN ${now} ELSE ${windowStart} END
    RETURNING "count", ${windowColumn} AS "windowStart", ${now} AS "now"`);
  const row = ZCounterRowSchema.parse(result.rows[0]);
  if (Math.floor(Math.random() * PRUNE_ONE_IN) === 0) {
    await db.execute(sql`DELETE FROM ${table} WHERE ${windowColumn} < ${now} - ${PRUNE_AFTER_MS}`);
  }
  return {
    allowed: row.count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((row.windowStart + windowMs - row.now) / 1000)),
  };
}

/**
 * Gives back one attempt counted under `subject` in the current window (a sign-in or a link's password that turned
 * out right is not a failure).
 */
export async function releaseRateLimit(
  db: TDatabase,
  where: TRateLimitTable,
  rule: TRateLimitRule,
  subject: string,
): Promise<void> {
  await db.execute(sql`
    UPDATE ${where.table} SET "count" = greatest("count" - 1, 0) WHERE "key" = ${rateLimitKey(rule, subject)}`);
}

/** The limiter of one app, bound to its table: what the app's code calls, so it can never count in another's. */
export function rateLimiterOn(where: TRateLimitTable) {
  return {
    consumeRateLimit: (db: TDatabase, rule: TRateLimitRule, subject: string): Promise<TRateLimitResult> =>
      consumeRateLimit(db, where, rule, subject),
    releaseRateLimit: (db: TDatabase, rule: TRateLimitRule, subject: string): Promise<void> =>
      releaseRateLimit(db, where, rule, subject),
  };
}
