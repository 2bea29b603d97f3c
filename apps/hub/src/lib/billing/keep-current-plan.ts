import { planItemOf, provisionAndResolve, seatItemOf, type TProvisionAndResolveResult } from '@omg/billing';
import { findProductByAppId, isLiveHubStatus, ZProductIdSchema } from '@omg/contract';
import { findOwnedSubscription, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { z } from 'zod';

export const ZKeepCurrentPlanSchema = z.object({ productId: ZProductIdSchema });
export type TKeepCurrentPlanInput = z.infer<typeof ZKeepCurrentPlanSchema>;

/**
 * Undoes a booked downgrade (SPEC §5). `changePlan` books one as the cheaper price already on the subscription
 * plus `keepPlan` / `keepPlanUntil` in its metadata; undoing it puts the held plan's price back without proration
 * (nothing was credited, so nothing is charged) and clears that metadata. Stripe's metadata, not the row, says
 * which plan is held; a business subscription's seat item goes back to the held plan's per-seat price too. The
 * row is provisioned before returning, so `scheduledPlan` is gone when the page reloads.
 */
export async function keepCurrentPlan(
  db: TDatabase,
  stripe: Stripe,
  input: { userId: string; organizationId?: string; productId: string },
): Promise<TProvisionAndResolveResult> {
  const product = findProductByAppId(input.productId);
  if (!product) throw new AppError('BAD_REQUEST', 'There is no such product.');
  const owner = input.organizationId ? { organizationId: input.organizationId } : { userId: input.userId };
  const row = await findOwnedSubscription(db, { owner, appId: product.appId });
  if (!row || !isLiveHubStatus(row.status)) {
    throw new AppError('NOT_FOUND', `You have no ${product.name} subscription to change.`);
  }
  if (!row.stripeSubscriptionId) {
    throw new AppError('CONFLICT', 'This subscription is managed by our team; contact support to change it.');
  }
  const subscription = await stripe.subscriptions.retrieve(row.stripeSubscriptionId, {
    expand: ['items.data.price'],
  });
  const item = planItemOf(subscription);
  const held = product.plans.find((p) => p.id === subscription.metadata?.keepPlan);
  if (!item || !held) {
    throw new AppError('CONFLICT', `No plan change is booked for ${product.name}.`);
  }
  if (held.lookupKey === null) {
    throw new AppError('CONFLICT', 'This subscription is managed by our team; contact support to change it.');
  }
  const [price] = (await stripe.prices.list({ lookup_keys: [held.lookupKey], active: true, limit: 1 })).data;
  if (!price)
    throw new AppError('UNAVAILABLE', 'This plan cannot be kept right now. Please try again later.');
  const items: Stripe.SubscriptionUpdateParams.Item[] = [{ id: item.id, price: price.id }];
  // A business subscription's extra seats (issue 15) moved to the booked plan's per-seat price with the
  // downgrade: they go back to the held plan's, their number unchanged.
  const seatItem = seatItemOf(subscription);
  if (seatItem && held.seatLookupKey && seatItem.price.lookup_key !== held.seatLookupKey) {
    const [seatPrice] = (
      await stripe.prices.list({ lookup_keys: [held.seatLookupKey], active: true, limit: 1 })
    ).data;
    if (!seatPrice)
      throw new AppError('UNAVAILABLE', 'This plan cannot be kept right now. Please try again later.');
    items.push({ id: seatItem.id, price: seatPrice.id });
  }
  await stripe.subscriptions.update(subscription.id, {
    items,
    proration_behavior: 'none',
    metadata: { plan: held.id, keepPlan: '', keepPlanUntil: '' },
  });
  return provisionAndResolve(db, stripe, { stripeSubscriptionId: subscription.id });
}
