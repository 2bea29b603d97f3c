import { planItemOf, seatItemOf } from '@omg/billing';
import { findProductByAppId, isLiveHubStatus, SVD_APP_ID } from '@omg/contract';
import { findOwnedSubscription, type TDatabase, type TTransaction } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { TSeats } from './seats-of';

/** The body of the seat routes: how many seats to have beyond the plan's included ones (a target, not a delta). */
export const ZSeatChangeSchema = z.object({
  extraSeats: z
    .number({ error: 'Say how many extra seats.' })
    .int('Seats are whole numbers.')
    .min(0, 'Extra seats cannot be negative.')
    .max(10_000, 'For more than 10,000 seats, contact sales.'),
});
export type TSeatChangeInput = z.infer<typeof ZSeatChangeSchema>;

export interface TSeatChangeTarget {
  subscription: Stripe.Subscription;
  seatPrice: Stripe.Price;
  fromExtra: number;
  toExtra: number;
  /** The subscription items change that sets the per-seat quantity to `toExtra`. */
  items: Stripe.SubscriptionUpdateParams.Item[];
  periodEnd: Date;
}

/**
 * Refuses to drop below the seats in use: removing seats never removes members silently (issue 15), the owner
 * removes members (or revokes invitations) first.
 */
export function assertSeatsCover(seats: TSeats, toExtra: number): void {
  const total = seats.included + toExtra;
  if (total < seats.used) {
    throw new AppError(
      'CONFLICT',
      `Remove members first: ${seats.used} seats are in use (members and pending invitations), and ${total} would be left.`,
      { details: { code: 'SEATS_IN_USE', used: seats.used, wouldBe: total } },
    );
  }
}

/**
 * Resolves a seat change against the organization's live business subscription and Stripe's current state: the
 * per-seat item (if any), the per-seat price by lookup key, and the items change. Shared by the preview and the
 * change itself; Stripe's quantity, not our row, says where the change starts.
 */
export async function resolveSeatChange(
  db: TDatabase | TTransaction,
  stripe: Stripe,
  { organizationId, extraSeats }: { organizationId: string; extraSeats: number },
): Promise<TSeatChangeTarget> {
  const row = await findOwnedSubscription(db, { owner: { organizationId }, appId: SVD_APP_ID });
  const plan = findProductByAppId(SVD_APP_ID)?.plans.find((p) => p.id === row?.plan);
  if (!row || !isLiveHubStatus(row.status) || !plan?.seatLookupKey) {
    throw new AppError('NOT_FOUND', 'This business account has no business plan to add seats to.');
  }
  if (!row.stripeSubscriptionId) {
    throw new AppError(
      'CONFLICT',
      'This subscription is managed by our team; contact support to change seats.',
    );
  }
  const subscription = await stripe.subscriptions.retrieve(row.stripeSubscriptionId, {
    expand: ['items.data.price'],
  });
  const [seatPrice] = (
    await stripe.prices.list({ lookup_keys: [plan.seatLookupKey], active: true, limit: 1 })
  ).data;
  if (!seatPrice)
    throw new AppError('UNAVAILABLE', 'Seats cannot be bought right now. Please try again later.');
  const seatItem = seatItemOf(subscription);
  const fromExtra = seatItem?.quantity ?? 0;
  let items: Stripe.SubscriptionUpdateParams.Item[];
  if (seatItem && extraSeats === 0) items = [{ id: seatItem.id, deleted: true }];
  else if (seatItem) items = [{ id: seatItem.id, quantity: extraSeats }];
  else items = [{ price: seatPrice.id, quantity: extraSeats }];
  const periodEnd = planItemOf(subscription)?.current_period_end ?? subscription.billing_cycle_anchor;
  return {
    subscription,
    seatPrice,
    fromExtra,
    toExtra: extraSeats,
    items,
    periodEnd: new Date(periodEnd * 1000),
  };
}
