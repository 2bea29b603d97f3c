import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** 32 random bytes (256 bits, twice the 128) in base64url: 43 characters, safe in a URL path. */
const TOKEN_BYTES = 32;

/**
 * A token as it may arrive in a URL. Anything else (wrong length, another alphabet, padding) cannot be a token we
 * issued; callers answer it exactly as they answer an unknown token, never with a 400 that would tell the two apart.
 */
export const ZShareTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** The stored form of a token: its SHA-256 (a 256-bit random secret needs no salt or slow hash). */
export const hashShareToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A fresh token and its hash; only the hash is stored, the token goes to its creator once, in the link. */
export function newShareToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashShareToken(token) };
}
