import { findProductByAppId, formatPrice, SVD_APP_ID } from '@omg/contract';
import { findSubscription, schema, type TDatabase, type TTransaction, withAdvisoryLock } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, isNotNull } from 'drizzle-orm';
import { createElement } from 'react';
// Relative imports only: scripts (`npm run svd:migrate`, through maintenance.ts) run this outside Next.js.
import { MigrationWelcomeEmail, migrationWelcomeSubject } from '../../emails/migration-welcome-email';
import { mailLinkEnv } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';
import { CLAIM_LINK_VALID_DAYS, newClaimToken } from './claim-token';

export interface TSendMigrationInviteInput {
  userId: string;
  /** Where the links point and who sends; default HUB_URL / MAIL_FROM (env()'s defaults), without env()'s secrets. */
  hubUrl?: string;
  mailFrom?: string;
}

/** The one welcome per migrated customer, however often the migration runs. */
export const migrationWelcomeKey = (userId: string) => `migration-welcome:${userId}`;

/**
 * Queues the migration welcome (SPEC §7) for a migrated customer: who they are, their SecureVault plan and
 * grandfathered price, and a single-use claim link (`/claim?token=…`, valid CLAIM_LINK_VALID_DAYS days) to set a
 * password. An account that already has a password gets the welcome with a sign-in link and no token.
 *
 * Once per user: the claim token and the outbox row are written in one transaction under a lock on the mail's
 * idempotency key, so a re-run (or two runs at once) finds the earlier mail and writes nothing, not even a token.
 * Pass the migration's row transaction to have the mail only if the row commits.
 */
export async function sendMigrationInvite(
  database: TDatabase | TTransaction,
  input: TSendMigrationInviteInput,
): Promise<{ queued: boolean }> {
  const settings = input.hubUrl && input.mailFrom ? null : mailLinkEnv();
  const hubUrl = input.hubUrl ?? settings?.HUB_URL ?? '';
  const mailFrom = input.mailFrom ?? settings?.MAIL_FROM ?? '';
  const idempotencyKey = migrationWelcomeKey(input.userId);

  return withAdvisoryLock(database, idempotencyKey, async (tx) => {
    const [earlier] = await tx
      .select({ id: schema.outgoingEmail.id })
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.idempotencyKey, idempotencyKey));
    if (earlier) return { queued: false };

    const [user] = await tx
      .select({ id: schema.user.id, email: schema.user.email, name: schema.user.name })
      .from(schema.user)
      .where(eq(schema.user.id, input.userId));
    if (!user) throw new AppError('NOT_FOUND', `No user ${input.userId} to invite.`);

    const [credential] = await tx
      .select({ id: schema.account.id })
      .from(schema.account)
      .where(
        and(
          eq(schema.account.userId, user.id),
          eq(schema.account.providerId, 'credential'),
          isNotNull(schema.account.password),
        ),
      );
    let claimUrl: string | null = null;
    if (!credential) {
      const claim = newClaimToken();
      await tx
        .insert(schema.accountClaim)
        .values({ userId: user.id, tokenHash: claim.tokenHash, expiresAt: claim.expiresAt });
      claimUrl = new URL(`/claim?token=${claim.token}`, hubUrl).toString();
    }

    const row = await findSubscription(tx, { userId: user.id, appId: SVD_APP_ID });
    const plan = findProductByAppId(SVD_APP_ID)?.plans.find((p) => p.id === row?.plan);
    await sendHubEmail(
      {
        kind: 'migration-welcome',
        to: user.email,
        userId: user.id,
        subject: migrationWelcomeSubject,
        idempotencyKey,
        from: mailFrom,
        body: createElement(MigrationWelcomeEmail, {
          name: user.name,
          email: user.email,
          planName: plan?.name ?? null,
          grandfatheredPrice:
            row?.grandfatheredPriceCents != null ? formatPrice(row.grandfatheredPriceCents) : null,
          claimUrl,
          loginUrl: new URL('/login', hubUrl).toString(),
          claimValidFor: `${CLAIM_LINK_VALID_DAYS} days`,
        }),
      },
      tx,
    );
    return { queued: true };
  });
}
