import { schema, type TDatabase } from '@omg/db';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';

/**
 * Brings `timesRedeemed` up to Stripe's own count for the coupon's promotion code after a checkout completed with
 * it. Stripe counts each completed checkout exactly once, so taking the greater of the two is idempotent whoever
 * gets here first (the success page or a webhook) and however often, unlike incrementing on a status change that
 * the webhook may already have made.
 */
export async function recordCouponRedemption(
  db: TDatabase,
  stripe: Stripe,
  input: { stripePromotionCodeId: string },
): Promise<void> {
  const promotionCode = await stripe.promotionCodes.retrieve(input.stripePromotionCodeId);
  await db
    .update(schema.coupon)
    .set({
      timesRedeemed: sql`GREATEST(${schema.coupon.timesRedeemed}, ${promotionCode.times_redeemed})`,
      updatedAt: sql`now()`,
    })
    .where(eq(schema.coupon.stripePromotionCodeId, promotionCode.id));
}
