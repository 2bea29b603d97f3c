import { ACCOUNT_DELETION_GRACE_DAYS } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { isAPIError } from 'better-auth/api';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type Stripe from 'stripe';
import { z } from 'zod';
import { auth } from '../auth/auth';
import { PASSWORD_MAX_LENGTH } from '../auth/password-policy';
import { cancelSubscription } from '../billing/cancel-subscription';
import { cancelSoleOwnedOrganizations } from '../organizations/cancel-sole-owned-organizations';
import { endMembershipsOfDeletedUser } from '../organizations/end-memberships-of-deleted-user';

/** The body of `POST /api/account/delete`: the account's email typed out, and its password. */
export const ZDeleteAccountSchema = z.object({
  email: z.string().trim().toLowerCase().max(254, 'Type your account’s email address exactly.'),
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH, 'Your password is incorrect.'),
});
export type TDeleteAccount = z.infer<typeof ZDeleteAccountSchema>;

/** Per account: each attempt checks the password. */
export const DELETE_ACCOUNT_LIMIT = { name: 'delete-account', limit: 5, windowSeconds: 15 * 60 } as const;

/** What deleting does, in the words the Account page shows before the customer confirms. */
export const ACCOUNT_DELETION_TERMS = [
  'Every subscription is canceled in Stripe at once. The rest of the paid period is not refunded, and nothing is charged again.',
  'You are signed out everywhere, in OMG and in SecureVault Docs, and can no longer sign in. Your email address is freed.',
  'We stop sending you mail; mail already queued is withdrawn.',
  'You leave every business account you belong to; one you own alone has its subscriptions canceled the same way.',
  `Your SecureVault Docs vaults and documents are deleted after ${ACCOUNT_DELETION_GRACE_DAYS} days. Download them first if you want to keep them.`,
] as const;

/**
 * Deletes the signed-in account (issue 11). The typed email and the password prove it is the owner. Stripe
 * first: every subscription still alive is canceled now (SPEC §5, nothing refunded) and every open checkout is
 * expired, so nothing can bill the person later — if Stripe fails, nothing else has changed and the customer may
 * try again (both steps are idempotent). Then, in one transaction, the account leaves sign-in: marked deleted,
 * its address and name replaced (the address may sign up again), credentials, sessions (SVD's follow them) and
 * pending links removed, queued mail withdrawn. Billing records stay for the accounts; SVD purges its documents
 * after the grace period because it sees `deletedAt` (`npm run svd:purge-deleted`).
 */
export async function deleteAccount(
  database: TDatabase,
  stripe: Stripe,
  headers: Headers,
  user: { id: string; email: string },
  input: TDeleteAccount,
): Promise<void> {
  if (input.email !== user.email.toLowerCase()) {
    throw new AppError('BAD_REQUEST', 'Type your account’s email address exactly.', {
      details: { field: 'email' },
    });
  }
  try {
    await auth().api.verifyPassword({ body: { password: input.password }, headers });
  } catch (error) {
    // better-auth has two APIError classes (its own and better-call's), and a bundle may hold copies of each.
    if (isAPIError(error)) {
      throw new AppError('BAD_REQUEST', 'Your password is incorrect.', { details: { field: 'password' } });
    }
    throw error;
  }

  // A business account keeps its one owner (issue 15): with other members in it, ownership is handed over first.
  const owned = await ownedOrganizationWithOthers(database, user.id);
  if (owned) {
    throw new AppError(
      'CONFLICT',
      `You own the business account ${owned}. Make another member its owner before you delete your account.`,
    );
  }

  const live = await database
    .select({ appId: schema.subscription.appId })
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, user.id), ne(schema.subscription.status, 'canceled')));
  for (const { appId } of live) await cancelSubscription(database, stripe, { userId: user.id, appId });
  await cancelSoleOwnedOrganizations(database, stripe, user.id);

  const open = await database
    .select({ id: schema.checkoutSession.id, stripeSessionId: schema.checkoutSession.stripeSessionId })
    .from(schema.checkoutSession)
    .where(and(eq(schema.checkoutSession.userId, user.id), eq(schema.checkoutSession.status, 'open')));
  for (const checkout of open) {
    if (checkout.stripeSessionId) {
      const current = await stripe.checkout.sessions.retrieve(checkout.stripeSessionId);
      if (current.status === 'open') await stripe.checkout.sessions.expire(checkout.stripeSessionId);
      // A checkout paid just now made a subscription: end it too.
      if (current.status === 'complete' && typeof current.subscription === 'string') {
        await stripe.subscriptions.cancel(current.subscription).catch(async (error) => {
          const after = await stripe.subscriptions.retrieve(current.subscription as string).catch(() => null);
          if (after?.status !== 'canceled') throw error;
        });
      }
    }
    await database
      .update(schema.checkoutSession)
      .set({ status: 'expired', updatedAt: new Date() })
      .where(eq(schema.checkoutSession.id, checkout.id));
  }

  const now = new Date();
  await database.transaction(async (tx) => {
    await tx
      .update(schema.user)
      .set({
        deletedAt: now,
        email: `deleted-${user.id}@deleted.invalid`,
        name: '',
        image: null,
        emailVerified: false,
        twoFactorEnabled: false,
        updatedAt: now,
      })
      .where(eq(schema.user.id, user.id));
    await tx.delete(schema.account).where(eq(schema.account.userId, user.id));
    await tx.delete(schema.session).where(eq(schema.session.userId, user.id));
    await tx.delete(schema.verification).where(eq(schema.verification.value, user.id));
    // A migration welcome's claim link would otherwise give the deleted account a password again, and the
    // two-factor secret and the passkeys are credentials like the password (the user row stays, so no cascade).
    await tx.delete(schema.accountClaim).where(eq(schema.accountClaim.userId, user.id));
    await tx.delete(schema.twoFactor).where(eq(schema.twoFactor.userId, user.id));
    await tx.delete(schema.passkey).where(eq(schema.passkey.userId, user.id));
    await endMembershipsOfDeletedUser(tx, user.id);
    await tx
      .update(schema.outgoingEmail)
      .set({ status: 'withdrawn', lastError: 'the account was deleted', updatedAt: now })
      .where(
        and(
          eq(schema.outgoingEmail.userId, user.id),
          inArray(schema.outgoingEmail.status, ['queued', 'retrying']),
        ),
      );
  });
}

/** The name of a business account the user owns that has other members, or null. */
async function ownedOrganizationWithOthers(database: TDatabase, userId: string): Promise<string | null> {
  const others = alias(schema.membership, 'others');
  const [row] = await database
    .select({ name: schema.organization.name })
    .from(schema.membership)
    .innerJoin(schema.organization, eq(schema.organization.id, schema.membership.organizationId))
    .innerJoin(
      others,
      and(eq(others.organizationId, schema.membership.organizationId), ne(others.userId, userId)),
    )
    .where(and(eq(schema.membership.userId, userId), eq(schema.membership.role, 'owner')))
    .limit(1);
  return row?.name ?? null;
}
