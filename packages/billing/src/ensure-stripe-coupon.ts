import { schema, type TDatabase } from '@omg/db';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { idOf } from './id-of';
import { orNullIfMissing } from './is-resource-missing';

type TCouponRow = typeof schema.coupon.$inferSelect;

/**
 * How long a Hub coupon lasts in Stripe: `forever`, since the checkout page shows the discounted *monthly* price,
 * so the discount must keep applying to every renewal, not only the first invoice. The Hub's pages word the
 * coupon from this, so what they promise is what Stripe does.
 */
export const HUB_COUPON_DURATION = 'forever' as const satisfies Stripe.CouponCreateParams.Duration;

async function findStripeProductId(stripe: Stripe, appId: string): Promise<string | null> {
  for await (const product of stripe.products.list({ limit: 100 })) {
    if (product.metadata?.appId === appId) return product.id;
  }
  return null;
}

/**
 * The Stripe promotion code for a Hub coupon, created on first use and reused after that (ids kept on the row).
 * A stored id Stripe no longer knows (a fresh local emulator, a deleted coupon) is replaced rather than trusted.
 * It lasts HUB_COUPON_DURATION.
 */
export async function ensureStripeCoupon(
  db: TDatabase,
  stripe: Stripe,
  coupon: TCouponRow,
): Promise<{ stripeCouponId: string; stripePromotionCodeId: string }> {
  let stripeCoupon: Stripe.Coupon | null = coupon.stripeCouponId
    ? await orNullIfMissing(stripe.coupons.retrieve(coupon.stripeCouponId))
    : null;
  if (!stripeCoupon) {
    const productId = coupon.appId ? await findStripeProductId(stripe, coupon.appId) : null;
    if (coupon.appId && !productId) {
      throw new Error(`Coupon ${coupon.code} is for ${coupon.appId}, which has no Stripe product yet.`);
    }
    stripeCoupon = await stripe.coupons.create(
      {
        name: coupon.description || coupon.code,
        duration: HUB_COUPON_DURATION,
        ...(coupon.type === 'FIXED_AMOUNT'
          ? { amount_off: coupon.amountOffCents ?? 0, currency: 'usd' }
          : { percent_off: coupon.percentOff ?? 0 }),
        ...(productId ? { applies_to: { products: [productId] } } : {}),
        metadata: { hubCouponId: coupon.id, code: coupon.code },
      },
      // Two first checkouts with a never-synced coupon at once must not create two Stripe coupons.
      { idempotencyKey: `omg-coupon-${coupon.id}` },
    );
  }
  let promotionCode: Stripe.PromotionCode | null =
    coupon.stripePromotionCodeId && stripeCoupon.id === coupon.stripeCouponId
      ? await orNullIfMissing(stripe.promotionCodes.retrieve(coupon.stripePromotionCodeId))
      : null;
  if (!promotionCode) {
    // A promotion code with this code may exist already (a sync that died before saving the id): reuse it.
    const [existing] = (await stripe.promotionCodes.list({ code: coupon.code, active: true, limit: 1 })).data;
    const existingCouponId = idOf(existing?.promotion.coupon);
    promotionCode =
      existing && existingCouponId === stripeCoupon.id
        ? existing
        : await stripe.promotionCodes.create(
            {
              promotion: { type: 'coupon', coupon: stripeCoupon.id },
              code: coupon.code,
              metadata: { hubCouponId: coupon.id },
            },
            { idempotencyKey: `omg-promotion-code-${coupon.id}-${stripeCoupon.id}` },
          );
  }
  if (coupon.stripeCouponId !== stripeCoupon.id || coupon.stripePromotionCodeId !== promotionCode.id) {
    await db
      .update(schema.coupon)
      .set({
        stripeCouponId: stripeCoupon.id,
        stripePromotionCodeId: promotionCode.id,
        updatedAt: sql`now()`,
      })
      .where(eq(schema.coupon.id, coupon.id));
  }
  return { stripeCouponId: stripeCoupon.id, stripePromotionCodeId: promotionCode.id };
}
