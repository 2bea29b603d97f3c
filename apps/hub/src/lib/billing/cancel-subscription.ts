import { isResourceMissing, provisionAndResolve } from '@omg/billing';
import {
  findProductByAppId,
  isEndedStripeStatus,
  isLiveHubStatus,
  type TSubscriptionStatus,
} from '@omg/contract';
import {
  annotateSubscriptionChange,
  findOwnedSubscription,
  schema,
  type TDatabase,
  type TSubscriptionRow,
} from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';

export const ZCancelSubscriptionSchema = z.object({
  appId: z.string().trim().min(1, 'appId is required.').max(100),
  /**
   * `now` (the default, SPEC §5): access ends at once, this operation. `period_end`: access continues until the
   * paid period ends, as in Stripe's customer portal (`scheduleCancellation`).
   */
  when: z.enum(['now', 'period_end']).default('now'),
});

export interface TCanceledSubscription {
  appId: string;
  plan: string;
  status: TSubscriptionStatus;
  cancelAtPeriodEnd: boolean;
}

/**
 * Cancels in Stripe at once (SPEC §5: access ends now, nothing is prorated back). A subscription Stripe already
 * ended, or no longer knows, is fine: the user's wish is already true there, and the database catches up below.
 */
async function cancelInStripe(stripe: Stripe, id: string): Promise<void> {
  try {
    await stripe.subscriptions.cancel(id, {}, { idempotencyKey: `omg-cancel-${id}` });
  } catch (error) {
    if (isResourceMissing(error)) return;
    // Stripe answers 400 for an already-canceled subscription; ask rather than parse its message.
    const current = await stripe.subscriptions.retrieve(id).catch(() => null);
    if (isEndedStripeStatus(current?.status)) return;
    throw error;
  }
}

async function markCanceled(db: TDatabase, id: string): Promise<TSubscriptionRow> {
  const [saved] = await db.transaction(async (tx) => {
    await annotateSubscriptionChange(tx, { source: 'hub', sourceRef: 'cancel' });
    return tx
      .update(schema.subscription)
      .set({ status: 'canceled', cancelAtPeriodEnd: false, trialEndsAt: null, updatedAt: new Date() })
      .where(eq(schema.subscription.id, id))
      .returning();
  });
  if (!saved) throw new AppError('NOT_FOUND', 'The subscription no longer exists.');
  return saved;
}

const toResult = (row: TSubscriptionRow): TCanceledSubscription => ({
  appId: row.appId,
  plan: row.plan,
  status: isLiveHubStatus(row.status) ? row.status : 'canceled',
  cancelAtPeriodEnd: row.cancelAtPeriodEnd,
});

/**
 * Ends the user's subscription to one app now. Stripe first, then the row through the same provisioning the
 * webhook uses, so SVD (which reads the row on every request) revokes paid access on the user's next request
 * without waiting for `customer.subscription.deleted`. Rows provisioned by SQL or migration have no Stripe
 * subscription and are ended in the database only.
 *
 * Idempotent: cancelling an already-canceled subscription answers the canceled state again (a double click or a
 * retried request succeeds); only a user with no row for the app gets 404.
 */
export async function cancelSubscription(
  db: TDatabase,
  stripe: Stripe,
  { userId, organizationId, appId }: { userId: string; organizationId?: string; appId: string },
): Promise<TCanceledSubscription> {
  // With `organizationId`, the business account's subscription (its owner or admin asked; the route checked).
  const row = await findOwnedSubscription(db, {
    owner: organizationId ? { organizationId } : { userId },
    appId,
  });
  if (!row) {
    const name = findProductByAppId(appId)?.name ?? 'this product';
    throw new AppError('NOT_FOUND', `You have no subscription to ${name}.`);
  }

  if (!row.stripeSubscriptionId) {
    return toResult(row.status === 'canceled' ? row : await markCanceled(db, row.id));
  }

  await cancelInStripe(stripe, row.stripeSubscriptionId);
  const provisioned = await provisionAndResolve(db, stripe, {
    stripeSubscriptionId: row.stripeSubscriptionId,
  });
  const saved = provisioned.subscription;
  if (saved?.id === row.id && saved.status === 'canceled') return toResult(saved);
  // Stripe no longer knows the subscription (provisioning skipped it): nothing there grants access any more,
  // so the row must not either.
  return toResult(await markCanceled(db, row.id));
}
