import { idOf } from '@omg/billing';
import {
  isEndedStripeStatus,
  type TDiscountTerms,
  type TNextCharge,
  ZDiscountTermsSchema,
} from '@omg/contract';
import type Stripe from 'stripe';

export interface TSubscriptionCharges {
  /** The coupon on the subscription, in its terms (what it takes off, for how long). */
  discount: TDiscountTerms | null;
  /** What Stripe will charge next and when; null when nothing more will be charged (ending or ended). */
  nextCharge: TNextCharge | null;
  trialing: boolean;
}

const isCoupon = (value: unknown): value is Stripe.Coupon =>
  typeof value === 'object' && value !== null && (value as { object?: string }).object === 'coupon';

/** Stripe's coupon in the Hub's terms; a coupon Stripe describes in a way the contract does not is left out. */
function discountTerms(subscription: Stripe.Subscription): TDiscountTerms | null {
  for (const discount of subscription.discounts) {
    const coupon = typeof discount === 'string' ? null : discount.source.coupon;
    if (!isCoupon(coupon)) continue;
    const terms = ZDiscountTermsSchema.safeParse({
      percentOff: coupon.percent_off,
      amountOffCents: coupon.amount_off,
      duration: coupon.duration,
      durationInMonths: coupon.duration_in_months,
    });
    if (terms.success) return terms.data;
  }
  return null;
}

/**
 * The discount a subscription carries and its next charge, from Stripe itself: the coupon through
 * `discounts.source.coupon`, the charge from the upcoming invoice (`invoices.createPreview`), which already
 * counts the discount, a `once` coupon being spent, a booked cheaper plan and any credit on the customer's
 * balance. The checkout's success page, the billing page and a plan change's confirmation all read it here.
 */
export async function getSubscriptionCharges(
  stripe: Stripe,
  { stripeSubscriptionId }: { stripeSubscriptionId: string },
): Promise<TSubscriptionCharges> {
  const subscription = await stripe.subscriptions.retrieve(stripeSubscriptionId, {
    expand: ['discounts.source.coupon'],
  });
  const trialing = subscription.status === 'trialing';
  const ending =
    isEndedStripeStatus(subscription.status) ||
    subscription.cancel_at_period_end ||
    Boolean(subscription.cancel_at);
  if (ending) return { discount: discountTerms(subscription), nextCharge: null, trialing };
  const upcoming = await stripe.invoices.createPreview({
    subscription: subscription.id,
    customer: idOf(subscription.customer) ?? undefined,
  });
  const at = upcoming.next_payment_attempt ?? upcoming.period_end;
  return {
    discount: discountTerms(subscription),
    nextCharge: { amountCents: upcoming.amount_due, at: new Date(at * 1000) },
    trialing,
  };
}
