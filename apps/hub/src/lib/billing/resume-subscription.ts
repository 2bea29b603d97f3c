import { provisionAndResolve } from '@omg/billing';
import { findProductByAppId } from '@omg/contract';
import type { TDatabase, TSubscriptionRow } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { z } from 'zod';
import { findStripeManagedSubscription } from './find-stripe-managed-subscription';

export const ZResumeSubscriptionSchema = z.object({
  appId: z.string().trim().min(1, 'appId is required.').max(100),
});

/**
 * Takes back a cancellation booked for the end of the period (from the billing page or Stripe's customer portal):
 * `cancel_at_period_end: false` in Stripe, then the row from Stripe's truth, so it renews as before. Stripe, not
 * the row, says whether a cancellation is booked: the row may lag behind the portal's webhook.
 */
export async function resumeSubscription(
  db: TDatabase,
  stripe: Stripe,
  { userId, organizationId, appId }: { userId: string; organizationId?: string; appId: string },
): Promise<TSubscriptionRow> {
  const row = await findStripeManagedSubscription(db, { userId, organizationId, appId });
  const current = await stripe.subscriptions.retrieve(row.stripeSubscriptionId);
  if (!current.cancel_at_period_end && current.cancel_at === null) {
    const name = findProductByAppId(appId)?.name ?? 'this product';
    throw new AppError('CONFLICT', `No cancellation is booked for ${name}.`);
  }
  await stripe.subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: false });
  const provisioned = await provisionAndResolve(db, stripe, {
    stripeSubscriptionId: row.stripeSubscriptionId,
  });
  if (!provisioned.subscription) throw new AppError('UNAVAILABLE', 'The subscription could not be resumed.');
  return provisioned.subscription;
}
