import { findProductByAppId, formatPrice, SVD_APP_ID } from '@omg/contract';
import { findSubscription, schema, type TDatabase, type TTransaction } from '@omg/db';
import { AppError } from '@omg/platform';
import { createEmailVerificationToken } from 'better-auth/api';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { createElement } from 'react';
import { z } from 'zod';
import { MigrationWelcomeEmail, migrationWelcomeSubject } from '@/emails/migration-welcome-email';
import { VerifyEmailEmail, verifyEmailSubject } from '@/emails/verify-email-email';
import { CLAIM_LINK_VALID_DAYS, newClaimToken } from '../account-claim/claim-token';
import { env } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';
import { findSupportTarget, type TSupportTarget } from './find-support-target';
import { hasPassword } from './has-password';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZResendAccountEmailSchema = z.object({
  /** `verification`: the sign-up confirmation link. `claim`: a migrated account's set-your-password link. */
  kind: z.enum(['verification', 'claim'], { error: 'Choose the verification or the claim email.' }),
  reason: ZSupportReasonSchema,
});
export type TResendAccountEmail = z.input<typeof ZResendAccountEmailSchema>;

export interface TResendAccountEmailResult {
  kind: 'verification' | 'claim';
  to: string;
  outgoingEmailId: string;
  auditId: string;
}

/** As long as the link of sign-up's own mail (auth.ts emailVerification.expiresIn). */
const VERIFICATION_LINK_SECONDS = 60 * 60 * 24;

async function queueVerification(tx: TTransaction, target: TSupportTarget): Promise<string> {
  if (target.emailVerified) {
    throw new AppError('CONFLICT', `${target.email} is already verified; there is nothing to resend.`);
  }
  const { HUB_URL, BETTER_AUTH_SECRET } = env();
  // The very token better-auth's own resend makes, so its /verify-email endpoint accepts the link.
  const token = await createEmailVerificationToken(
    BETTER_AUTH_SECRET,
    target.email,
    undefined,
    VERIFICATION_LINK_SECONDS,
    { userId: target.id },
  );
  const url = `${HUB_URL}/api/auth/verify-email?token=${token}&callbackURL=${encodeURIComponent('/portal')}`;
  return sendHubEmail(
    {
      kind: 'verify-email',
      to: target.email,
      userId: target.id,
      subject: verifyEmailSubject,
      body: createElement(VerifyEmailEmail, { name: target.name ?? '', url }),
    },
    tx,
  );
}

async function queueClaim(tx: TTransaction, target: TSupportTarget): Promise<string> {
  if (await hasPassword(tx, target.id)) {
    throw new AppError(
      'CONFLICT',
      `${target.email} already has a password; a claim link is only for a migrated account without one. Suggest “Forgot your password?”.`,
    );
  }
  const now = new Date();
  // One working link at a time: the new mail replaces any earlier link that was never used.
  await tx
    .update(schema.accountClaim)
    .set({ expiresAt: now })
    .where(
      and(
        eq(schema.accountClaim.userId, target.id),
        isNull(schema.accountClaim.usedAt),
        gt(schema.accountClaim.expiresAt, now),
      ),
    );
  const claim = newClaimToken();
  await tx
    .insert(schema.accountClaim)
    .values({ userId: target.id, tokenHash: claim.tokenHash, expiresAt: claim.expiresAt });
  const { HUB_URL } = env();
  const row = await findSubscription(tx, { userId: target.id, appId: SVD_APP_ID });
  const plan = findProductByAppId(SVD_APP_ID)?.plans.find((p) => p.id === row?.plan);
  return sendHubEmail(
    {
      kind: 'migration-welcome',
      to: target.email,
      userId: target.id,
      subject: migrationWelcomeSubject,
      body: createElement(MigrationWelcomeEmail, {
        name: target.name,
        email: target.email,
        planName: plan?.name ?? null,
        grandfatheredPrice:
          row?.grandfatheredPriceCents != null ? formatPrice(row.grandfatheredPriceCents) : null,
        claimUrl: new URL(`/claim?token=${claim.token}`, HUB_URL).toString(),
        loginUrl: new URL('/login', HUB_URL).toString(),
        claimValidFor: `${CLAIM_LINK_VALID_DAYS} days`,
      }),
    },
    tx,
  );
}

/**
 * Resends the verification email or a migrated account's claim email (support), through the outbox: the mail and
 * its audit entry commit together. Refused with a 409 that says why when it does not apply (already verified,
 * already has a password, deleted or banned account).
 */
export async function resendAccountEmail(
  database: TDatabase,
  actor: TSupportActor,
  userId: string,
  input: TResendAccountEmail,
): Promise<TResendAccountEmailResult> {
  const { kind, reason } = ZResendAccountEmailSchema.parse(input);
  return database.transaction(async (tx) => {
    const target = await findSupportTarget(tx, userId, { lock: true, allowDeleted: false });
    if (target.bannedAt) {
      throw new AppError('CONFLICT', `${target.email} is banned; unban the account before sending it mail.`);
    }
    const outgoingEmailId =
      kind === 'verification' ? await queueVerification(tx, target) : await queueClaim(tx, target);
    const auditId = await recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: kind === 'verification' ? 'email.resend_verification' : 'email.resend_claim',
      targetUserId: target.id,
      reason,
      before: null,
      after: { outgoingEmailId, to: target.email },
    });
    return { kind, to: target.email, outgoingEmailId, auditId };
  });
}
