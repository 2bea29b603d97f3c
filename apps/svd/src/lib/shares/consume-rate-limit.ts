import { rateLimiterOn, SVD_RATE_LIMITS } from '@omg/db';

export type { TRateLimitResult, TRateLimitRule } from '@omg/db';

/**
 * SVD counts attempts on its own securevault."RateLimit" (its role may not write core."RateLimit") with the Hub's
 * fixed-window counter from @omg/db, shared by every SVD instance; subjects are stored hashed, so no address or
 * token sits in the table. releaseRateLimit gives back one attempt (a right password is not a failure).
 */
export const { consumeRateLimit, releaseRateLimit } = rateLimiterOn(SVD_RATE_LIMITS);
