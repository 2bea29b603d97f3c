import { createHash, randomBytes } from 'node:crypto';

/**
 * How long a claim link works. Longer than a reset link's hour: the welcome mail arrives unannounced, after a
 * migration the customer did not ask for, and may sit in the inbox for days. Single use keeps it safe; an expired
 * link is replaced by "Forgot your password?", which works for an account that has no password yet.
 */
export const CLAIM_LINK_VALID_DAYS = 7;

/** A new claim token (256 random bits, URL-safe) and the SHA-256 the database keeps; the token itself is only mailed. */
export function newClaimToken(): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    tokenHash: hashClaimToken(token),
    expiresAt: new Date(Date.now() + CLAIM_LINK_VALID_DAYS * 24 * 60 * 60 * 1000),
  };
}

/** The stored form of a claim token: hub."AccountClaim"."tokenHash" (a leaked table grants no account). */
export function hashClaimToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
