import { HUB_RATE_LIMITS, rateLimiterOn } from '@omg/db';

export { rateLimitKey, type TRateLimitResult, type TRateLimitRule } from '@omg/db';

/**
 * The Hub counts attempts on core."RateLimit" (better-auth's table, which it also uses through these functions)
 * with the fixed-window counter of @omg/db, shared by every Hub instance. releaseRateLimit gives back one attempt
 * of the current window (a sign-in that turned out right is not a failure).
 */
export const { consumeRateLimit, releaseRateLimit } = rateLimiterOn(HUB_RATE_LIMITS);
