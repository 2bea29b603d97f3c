import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { ensureStripeCoupon } from './ensure-stripe-coupon';

/**
 * Gives every active Hub coupon its Stripe coupon and promotion code (same code). Safe to run any number of times:
 * the Stripe ids are kept on the row and reused. Runs after the catalog sync, because a coupon for one app points
 * at that app's Stripe product.
 */
export async function syncStripeCoupons(
  db: TDatabase,
  stripe: Stripe,
): Promise<{ synced: number; created: number }> {
  const coupons = await db.select().from(schema.coupon).where(eq(schema.coupon.active, true));
  let created = 0;
  for (const coupon of coupons) {
    const ids = await ensureStripeCoupon(db, stripe, coupon);
    if (ids.stripePromotionCodeId !== coupon.stripePromotionCodeId) created += 1;
  }
  return { synced: coupons.length, created };
}
