import type { TDatabase } from '@omg/db';
import { addressBucket } from '@omg/platform';
import { consumeRateLimit, type TRateLimitRule } from './consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from './rate-limited-response';

/**
 * A public form's limit per client address (IPv6 per /64), shared by every Hub instance: the 429 answer saying
 * when to try again, or null when the request may go on.
 */
export async function limitByAddress(
  db: TDatabase,
  rule: TRateLimitRule,
  address: string | null,
): Promise<Response | null> {
  const result = await consumeRateLimit(db, rule, addressBucket(address));
  if (result.allowed) return null;
  return rateLimitedResponse(
    `Too many requests from your network. Please try again ${retryPhrase(result.retryAfterSeconds)}.`,
    result.retryAfterSeconds,
  );
}
