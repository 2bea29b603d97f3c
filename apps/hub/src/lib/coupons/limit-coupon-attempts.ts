import type { TDatabase } from '@omg/db';
import { addressBucket } from '@omg/platform';
import { consumeRateLimit } from '../rate-limit/consume-rate-limit';
import { rateLimitedResponse, retryPhrase } from '../rate-limit/rate-limited-response';
import { RATE_LIMITS } from '../rate-limit/rules';

/**
 * Counts one coupon check per client address and, when signed in, per account (so neither many addresses nor many
 * accounts behind one address guess faster). In PostgreSQL: every Hub instance shares the counts. Returns the 429
 * answer when over either limit, null otherwise.
 */
export async function limitCouponAttempts(
  db: TDatabase,
  client: { address: string | null; userId: string | null },
): Promise<Response | null> {
  const byAddress = await consumeRateLimit(db, RATE_LIMITS.couponPerAddress, addressBucket(client.address));
  if (!byAddress.allowed) {
    return rateLimitedResponse(
      'Too many coupon attempts. Please wait a minute and try again.',
      byAddress.retryAfterSeconds,
    );
  }
  if (!client.userId) return null;
  const byAccount = await consumeRateLimit(db, RATE_LIMITS.couponPerAccount, client.userId);
  if (byAccount.allowed) return null;
  return rateLimitedResponse(
    `Too many coupon attempts on your account. Please try again ${retryPhrase(byAccount.retryAfterSeconds)}.`,
    byAccount.retryAfterSeconds,
  );
}
