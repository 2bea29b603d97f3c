import type { TDatabase } from '@omg/db';
import { AppError, addressBucket } from '@omg/platform';
import { consumeRateLimit, type TRateLimitRule } from './consume-rate-limit';

/**
 * The limits of the public share pages (securevault."RateLimit", shared by all SVD instances). The token has 256
 * random bits, so guessing one is hopeless anyway; these keep a script from using the pages as an oracle, a
 * password from being guessed, and the CPU (one argon2 verify per password try) for everyone else.
 */
export const SHARE_RATE_LIMITS = {
  /** Every page view, check and download from one network (IPv6 per /64), whatever the link. */
  perAddress: { name: 'share:address', limit: 60, windowSeconds: 60 },
  /** Every request for one token, from anywhere (counted for unknown tokens too: the same answer either way). */
  perLink: { name: 'share:link', limit: 120, windowSeconds: 60 },
  /** Wrong passwords for one link from any number of networks (a right one is given back). */
  passwordFailuresPerLink: { name: 'share:password', limit: 10, windowSeconds: 15 * 60 },
} as const satisfies Record<string, TRateLimitRule>;

export function tooManyAttempts(retryAfterSeconds: number): AppError {
  const wait =
    retryAfterSeconds < 60
      ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`
      : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return new AppError('RATE_LIMITED', `Too many attempts. Please try again in ${wait}.`, {
    details: { retryAfterSeconds },
  });
}

/** Counts one request for `token` from `address`; throws 429 when either limit is spent. */
export async function limitShareRequest(db: TDatabase, token: string, address: string | null): Promise<void> {
  const byAddress = await consumeRateLimit(db, SHARE_RATE_LIMITS.perAddress, addressBucket(address));
  if (!byAddress.allowed) throw tooManyAttempts(byAddress.retryAfterSeconds);
  const byLink = await consumeRateLimit(db, SHARE_RATE_LIMITS.perLink, token);
  if (!byLink.allowed) throw tooManyAttempts(byLink.retryAfterSeconds);
}
