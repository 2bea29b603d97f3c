import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { hashClaimToken } from './claim-token';

/** A claim token as mailed (43 URL-safe characters); anything else is no token of ours. */
export const ZClaimTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This link is not a valid claim link.');

export type TAccountClaimState =
  | { state: 'valid'; email: string; name: string | null }
  | { state: 'used' | 'expired' | 'unknown' };

/** What a claim link is now, for the /claim page (nothing is changed; claimAccount decides atomically). */
export async function findAccountClaim(
  db: TDatabase,
  { token }: { token: string },
): Promise<TAccountClaimState> {
  if (!ZClaimTokenSchema.safeParse(token).success) return { state: 'unknown' };
  const [claim] = await db
    .select({
      usedAt: schema.accountClaim.usedAt,
      expiresAt: schema.accountClaim.expiresAt,
      email: schema.user.email,
      name: schema.user.name,
    })
    .from(schema.accountClaim)
    .innerJoin(schema.user, eq(schema.user.id, schema.accountClaim.userId))
    .where(eq(schema.accountClaim.tokenHash, hashClaimToken(token)));
  if (!claim) return { state: 'unknown' };
  if (claim.usedAt) return { state: 'used' };
  if (claim.expiresAt <= new Date()) return { state: 'expired' };
  return { state: 'valid', email: claim.email, name: claim.name };
}
