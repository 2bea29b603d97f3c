import { planItemOf, seatItemOf } from '@omg/billing';
import { findProductBySlug, isLiveHubStatus } from '@omg/contract';
import { findOwnedSubscription, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { seatsOf } from '../seats/seats-of';

export interface TPlanChangeTarget {
  productName: string;
  appId: string;
  fromPlan: string;
  toPlan: { id: string; name: string; priceCents: number };
  direction: 'upgrade' | 'downgrade';
  /** The price a migrated customer kept from before the Hub (SPEC §7); any plan change gives it up. */
  grandfatheredPriceCents: number | null;
  subscription: Stripe.Subscription;
  item: Stripe.SubscriptionItem;
  price: Stripe.Price;
  /**
   * Every item change the plan change makes: the plan's price, and for a business subscription with extra seats
   * (issue 15) the seats moved to the new plan's per-seat price, their number unchanged.
   */
  items: Stripe.SubscriptionUpdateParams.Item[];
}

/**
 * Resolves a requested plan change against the user's live subscription and Stripe's current state: the item to
 * change and the price (by lookup key) to change it to. Shared by the preview and the change itself.
 */
export async function resolvePlanChange(
  db: TDatabase,
  stripe: Stripe,
  input: { userId: string; organizationId?: string; productSlug: string; planId: string },
): Promise<TPlanChangeTarget> {
  const product = findProductBySlug(input.productSlug);
  const plan = product?.plans.find((p) => p.id === input.planId);
  if (!product || !plan) throw new AppError('BAD_REQUEST', 'There is no such plan.');
  if (plan.priceCents === null || plan.lookupKey === null) {
    throw new AppError('BAD_REQUEST', `${product.name} ${plan.name} is sold by our team: contact sales.`);
  }
  // A business account (issue 15) changes among business plans only; its seats carry over (a second item).
  if (input.organizationId && plan.audience !== 'business') {
    throw new AppError(
      'BAD_REQUEST',
      `A business account changes to a business plan; ${plan.name} is personal.`,
    );
  }
  const owner = input.organizationId ? { organizationId: input.organizationId } : { userId: input.userId };
  const row = await findOwnedSubscription(db, { owner, appId: product.appId });
  if (!row || !isLiveHubStatus(row.status)) {
    throw new AppError('NOT_FOUND', `You have no ${product.name} subscription to change.`);
  }
  if (!row.stripeSubscriptionId) {
    throw new AppError('CONFLICT', 'This subscription is managed by our team; contact support to change it.');
  }
  if (row.plan === plan.id)
    throw new AppError('CONFLICT', `You are already on ${product.name} ${plan.name}.`);
  const subscription = await stripe.subscriptions.retrieve(row.stripeSubscriptionId, {
    expand: ['items.data.price'],
  });
  const item = planItemOf(subscription);
  if (!item) throw new AppError('CONFLICT', 'This subscription has nothing to change.');
  const [price] = (await stripe.prices.list({ lookup_keys: [plan.lookupKey], active: true, limit: 1 })).data;
  if (!price)
    throw new AppError('UNAVAILABLE', 'This plan cannot be bought right now. Please try again later.');
  const currentCents = item.price.unit_amount ?? 0;
  if (input.organizationId && plan.includedSeats !== null) {
    // A smaller business plan keeps the extra seats bought; it must still seat everyone (issue 15).
    const seats = await seatsOf(db, input.organizationId);
    const after = plan.includedSeats + seats.extra;
    if (after < seats.used) {
      throw new AppError(
        'CONFLICT',
        `Remove members first: ${seats.used} seats are in use, and ${plan.name} with your ${seats.extra} extra seats has ${after}.`,
        { details: { code: 'SEATS_IN_USE', used: seats.used, wouldBe: after } },
      );
    }
  }
  const items: Stripe.SubscriptionUpdateParams.Item[] = [{ id: item.id, price: price.id }];
  const seatItem = seatItemOf(subscription);
  if (seatItem && plan.seatLookupKey && seatItem.price.lookup_key !== plan.seatLookupKey) {
    const [seatPrice] = (
      await stripe.prices.list({ lookup_keys: [plan.seatLookupKey], active: true, limit: 1 })
    ).data;
    if (!seatPrice)
      throw new AppError('UNAVAILABLE', 'This plan cannot be bought right now. Please try again later.');
    items.push({ id: seatItem.id, price: seatPrice.id });
  }
  return {
    productName: product.name,
    appId: product.appId,
    fromPlan: row.plan,
    toPlan: { id: plan.id, name: plan.name, priceCents: plan.priceCents },
    direction: plan.priceCents >= currentCents ? 'upgrade' : 'downgrade',
    grandfatheredPriceCents: row.grandfatheredPriceCents,
    subscription,
    item,
    price,
    items,
  };
}
