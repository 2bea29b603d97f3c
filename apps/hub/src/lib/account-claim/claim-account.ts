import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { ZPasswordSchema } from '../auth/password-policy';
import { hashClaimToken } from './claim-token';
import { findAccountClaim, ZClaimTokenSchema } from './find-account-claim';

export const ZClaimAccountSchema = z.object({
  // Any string reaches the lookup, so a mangled link gets the same clear answer as an unknown one.
  token: z.string().max(200),
  password: ZPasswordSchema,
});
export type TClaimAccount = z.infer<typeof ZClaimAccountSchema>;

/** Where a claimed account goes next: SecureVault, through the Hub's launch (the SSO hand-off signs them in). */
export const CLAIM_LANDING = '/launch/securevault?returnTo=%2Fvault';

const SPENT = {
  used: 'This link was already used. If that was you, your password is set: log in. Otherwise use “Forgot your password?”.',
  expired: 'This link has expired. Use “Forgot your password?” to get a new link by mail.',
  unknown: 'This link is not valid. Use “Forgot your password?” to get a new link by mail.',
} as const;

/**
 * Claims a migrated account (SPEC §7): spends the single-use token, gives the account its first password (a
 * better-auth credential account, hashed by better-auth's own hasher, as its reset does) and marks the email
 * verified (the link was opened from that inbox). One transaction; the token is spent by
 * `UPDATE … WHERE "usedAt" IS NULL … RETURNING`, so of two tabs submitting at once exactly one wins and the other
 * is told the link was used. An account that meanwhile got a password (a reset) keeps it: the token is spent and
 * the claim refused. Errors carry `details.reason` (used / expired / unknown / has-password) for the page.
 */
export async function claimAccount(
  db: TDatabase,
  input: TClaimAccount,
  deps: { hashPassword: (password: string) => Promise<string> },
): Promise<{ userId: string; email: string }> {
  const refuse = (reason: keyof typeof SPENT) =>
    new AppError(reason === 'used' ? 'CONFLICT' : 'BAD_REQUEST', SPENT[reason], { details: { reason } });
  if (!ZClaimTokenSchema.safeParse(input.token).success) throw refuse('unknown');
  // Hashing is slow on purpose (argon2id): done before the transaction so no row stays locked meanwhile.
  const passwordHash = await deps.hashPassword(input.password);
  const now = new Date();

  const outcome = await db.transaction(async (tx) => {
    const [claim] = await tx
      .update(schema.accountClaim)
      .set({ usedAt: now })
      .where(
        and(
          eq(schema.accountClaim.tokenHash, hashClaimToken(input.token)),
          isNull(schema.accountClaim.usedAt),
          gt(schema.accountClaim.expiresAt, now),
        ),
      )
      .returning({ userId: schema.accountClaim.userId });
    if (!claim) return null;
    const [user] = await tx
      .select({ email: schema.user.email, deletedAt: schema.user.deletedAt })
      .from(schema.user)
      .where(eq(schema.user.id, claim.userId))
      .for('update');
    // A deleted account is never signed in to again, whatever link survived it.
    if (!user || user.deletedAt) return null;
    const [credential] = await tx
      .select({ id: schema.account.id })
      .from(schema.account)
      .where(and(eq(schema.account.userId, claim.userId), eq(schema.account.providerId, 'credential')));
    if (credential) return { kind: 'has-password' as const };
    await tx.insert(schema.account).values({
      id: randomUUID(),
      userId: claim.userId,
      // better-auth's credential account: accountId is the user id (see its resetCredentialPassword).
      accountId: claim.userId,
      providerId: 'credential',
      password: passwordHash,
    });
    await tx
      .update(schema.user)
      .set({ emailVerified: true, updatedAt: now })
      .where(eq(schema.user.id, claim.userId));
    return { kind: 'claimed' as const, userId: claim.userId, email: user.email };
  });

  if (outcome?.kind === 'claimed') return { userId: outcome.userId, email: outcome.email };
  if (outcome?.kind === 'has-password') {
    throw new AppError(
      'CONFLICT',
      'This account already has a password. Log in with it, or use “Forgot your password?”.',
      { details: { reason: 'has-password' } },
    );
  }
  // Not spent now: say why (already used, expired, never issued).
  const state = await findAccountClaim(db, { token: input.token });
  throw refuse(state.state === 'valid' ? 'used' : state.state);
}
