import { findSeatPriceByLookupKey } from '@omg/contract';
import type Stripe from 'stripe';

const isSeatItem = (item: Stripe.SubscriptionItem) =>
  Boolean(item.price.lookup_key && findSeatPriceByLookupKey(item.price.lookup_key));

/**
 * The item that carries a subscription's plan. A business subscription has a second item, its extra seats (a
 * per-seat price, issue 15); Stripe does not promise the items' order, so the plan is the item that is not a seat.
 */
export function planItemOf(subscription: Stripe.Subscription): Stripe.SubscriptionItem | undefined {
  return subscription.items.data.find((item) => !isSeatItem(item)) ?? subscription.items.data[0];
}

/** The per-seat item of a business subscription, when extra seats were ever bought. */
export function seatItemOf(subscription: Stripe.Subscription): Stripe.SubscriptionItem | undefined {
  return subscription.items.data.find(isSeatItem);
}

/** Seats bought beyond the plan's included ones: the per-seat item's quantity (0 without one). */
export function extraSeatsOf(subscription: Stripe.Subscription): number {
  return seatItemOf(subscription)?.quantity ?? 0;
}
