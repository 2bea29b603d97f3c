import { provisionSubscription } from '@omg/billing';
import { findProductByAppId } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { recordCouponRedemption } from '../coupons/record-coupon-redemption';

export interface TCheckoutResult {
  state: 'complete' | 'pending';
  productName: string;
  plan: string;
  returnUrl: string | null;
}

/**
 * The success page's view of a checkout: read from Stripe (never from the query string), and when it is paid,
 * provisioned at once through the same idempotent function the webhook uses.
 */
export async function completeCheckout(
  db: TDatabase,
  stripe: Stripe,
  input: { userId: string; stripeSessionId: string },
): Promise<TCheckoutResult> {
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(input.stripeSessionId);
  } catch {
    throw new AppError('NOT_FOUND', 'We could not find that checkout.');
  }
  if (session.client_reference_id !== input.userId)
    throw new AppError('NOT_FOUND', 'We could not find that checkout.');
  const [row] = await db
    .select()
    .from(schema.checkoutSession)
    .where(eq(schema.checkoutSession.stripeSessionId, session.id));
  const appId = row?.appId ?? session.metadata?.appId ?? '';
  const base = {
    productName: findProductByAppId(appId)?.name ?? 'your product',
    plan: row?.plan ?? session.metadata?.plan ?? '',
    returnUrl: row?.returnUrl ?? null,
  };
  const subscriptionId =
    typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
  if (session.status !== 'complete' || !subscriptionId) return { ...base, state: 'pending' };
  await provisionSubscription(db, stripe, { stripeSubscriptionId: subscriptionId });
  if (row) {
    await db
      .update(schema.checkoutSession)
      .set({ status: 'complete', updatedAt: sql`now()` })
      .where(eq(schema.checkoutSession.id, row.id));
  }
  for (const discount of session.discounts ?? []) {
    const promotionCode =
      typeof discount.promotion_code === 'string' ? discount.promotion_code : discount.promotion_code?.id;
    if (promotionCode) await recordCouponRedemption(db, stripe, { stripePromotionCodeId: promotionCode });
  }
  return { ...base, state: 'complete' };
}
