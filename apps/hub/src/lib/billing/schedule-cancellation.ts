import { provisionAndResolve } from '@omg/billing';
import type { TDatabase, TSubscriptionRow } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { findStripeManagedSubscription } from './find-stripe-managed-subscription';

/**
 * Cancels at the end of the paid period, the way Stripe's customer portal does (`cancel_at_period_end`): access
 * and the plan stay until then, nothing more is charged, and Resume undoes it. Not the Hub's "End now"
 * (`cancelSubscription`). The row is provisioned from Stripe's answer before returning, so the billing page and SVD
 * show "Cancels on <date>" on the next request.
 */
export async function scheduleCancellation(
  db: TDatabase,
  stripe: Stripe,
  { userId, organizationId, appId }: { userId: string; organizationId?: string; appId: string },
): Promise<TSubscriptionRow> {
  const row = await findStripeManagedSubscription(db, { userId, organizationId, appId });
  await stripe.subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: true });
  const provisioned = await provisionAndResolve(db, stripe, {
    stripeSubscriptionId: row.stripeSubscriptionId,
  });
  if (!provisioned.subscription)
    throw new AppError('UNAVAILABLE', 'The cancellation could not be confirmed.');
  return provisioned.subscription;
}
