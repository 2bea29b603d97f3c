import type { TRateLimitRule } from './consume-rate-limit';

/**
 * Every limit the Hub enforces (consumeRateLimit, PostgreSQL, shared by all instances). Addresses are counted by
 * addressBucket (IPv6 per /64); accounts by their lower-cased email, whether or not an account has it, so a 429
 * never tells an account exists.
 */
export const RATE_LIMITS = {
  /** Every sign-in attempt from one address, right or wrong. */
  signInPerAddress: { name: 'sign-in:address', limit: 5, windowSeconds: 60 },
  /**
   * Wrong passwords for one account from any number of addresses: slows a distributed guess to 10 per quarter of
   * an hour; the owner can sign in again when the window ends (a right password is not counted).
   */
  signInFailuresPerAccount: { name: 'sign-in:account', limit: 10, windowSeconds: 15 * 60 },
  signUpPerAddress: { name: 'sign-up:address', limit: 5, windowSeconds: 10 * 60 },
  /** Claim-link submissions (each hashes a password): a token is unguessable, this keeps the CPU for others. */
  claimPerAddress: { name: 'claim:address', limit: 10, windowSeconds: 10 * 60 },
  couponPerAddress: { name: 'coupon:address', limit: 10, windowSeconds: 60 },
  couponPerAccount: { name: 'coupon:account', limit: 10, windowSeconds: 60 },
  /** Contact sales and Notify me: public forms that write a row each, so a script cannot fill the tables. */
  salesInquiryPerAddress: { name: 'sales-inquiry:address', limit: 5, windowSeconds: 10 * 60 },
  productInterestPerAddress: { name: 'product-interest:address', limit: 10, windowSeconds: 10 * 60 },
} as const satisfies Record<string, TRateLimitRule>;
