import type { TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { assertSeatsCover, resolveSeatChange } from './seat-change-target';
import { seatsOf } from './seats-of';

export interface TSeatChangePreview {
  fromExtra: number;
  toExtra: number;
  included: number;
  /** Seats after the change (included + extra). */
  total: number;
  seatPriceCents: number;
  /** What the change charges now (positive) or credits (negative), prorated for the rest of the period. */
  amountCents: number;
  currency: string;
  onTrial: boolean;
  periodEnd: Date;
}

/** The prorated price of having `extraSeats` extra seats from now, as Stripe would invoice it (nothing changes). */
export async function previewSeatChange(
  db: TDatabase,
  stripe: Stripe,
  input: { organizationId: string; extraSeats: number },
): Promise<TSeatChangePreview> {
  const seats = await seatsOf(db, input.organizationId);
  const target = await resolveSeatChange(db, stripe, input);
  if (target.fromExtra === target.toExtra) {
    throw new AppError('CONFLICT', `You already have ${target.toExtra} extra seats.`);
  }
  assertSeatsCover(seats, target.toExtra);
  const onTrial = target.subscription.status === 'trialing';
  const invoice = await stripe.invoices.createPreview({
    subscription: target.subscription.id,
    subscription_details: { items: target.items, proration_behavior: 'always_invoice' },
  });
  return {
    fromExtra: target.fromExtra,
    toExtra: target.toExtra,
    included: seats.included,
    total: seats.included + target.toExtra,
    seatPriceCents: target.seatPrice.unit_amount ?? 0,
    amountCents: onTrial ? 0 : invoice.total,
    currency: invoice.currency,
    onTrial,
    periodEnd: target.periodEnd,
  };
}
