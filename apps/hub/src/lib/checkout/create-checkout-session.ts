import { ensureStripeCoupon } from '@omg/billing';
import { findProductByAppId, ZProductIdSchema } from '@omg/contract';
import { schema, type TDatabase, withAdvisoryLock } from '@omg/db';
import { AppError, normalizeRedirectTarget } from '@omg/platform';
import { and, desc, eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { INVALID_COUPON_MESSAGE, validateCoupon } from '../coupons/validate-coupon';
import { CHECKOUT_TRIAL_DAYS, getCheckoutOffer } from './checkout-offer';
import { ensureStripeCustomer } from './ensure-stripe-customer';

export const ZCreateCheckoutSessionSchema = z.object({
  productId: ZProductIdSchema,
  plan: z.string().trim().min(1, 'Choose a plan.').max(40),
  trial: z.boolean().optional(),
  couponCode: z.string().trim().max(40).optional(),
  returnUrl: z.string().max(2000).optional(),
});
export type TCreateCheckoutSessionInput = z.infer<typeof ZCreateCheckoutSessionSchema>;

/**
 * Opens (or reuses) a Stripe Checkout for one plan (SPEC §5). Refuses a second subscription to the same app
 * (409). Two tabs or a double click get the same open checkout: creation is serialised per user and app, and an
 * open, unexpired checkout for the same plan and coupon is handed back instead of a new one. A coupon is checked
 * again here (the page's check is only a preview) and applied as the Stripe promotion code with the same code.
 */
export async function createCheckoutSession(
  db: TDatabase,
  stripe: Stripe,
  input: TCreateCheckoutSessionInput & {
    user: { id: string; email: string; name: string | null };
    hubUrl: string;
    allowedReturnOrigins: string[];
  },
): Promise<{ url: string }> {
  // Stored (and later linked to) only in its normalized form; a target that is not ours is dropped, not an error.
  const returnUrl = normalizeRedirectTarget(input.returnUrl, {
    self: input.hubUrl,
    allowed: input.allowedReturnOrigins,
  });
  const product = findProductByAppId(input.productId);
  if (!product) throw new AppError('BAD_REQUEST', 'There is no such product.');
  const offer = await getCheckoutOffer(db, {
    userId: input.user.id,
    productSlug: product.slug,
    planId: input.plan,
  });
  if (offer.existing) {
    throw new AppError(
      'CONFLICT',
      `You already subscribe to ${offer.product.name}. Manage it from your portal.`,
      {
        details: { manageUrl: `${input.hubUrl}/portal` },
      },
    );
  }
  const couponCode = input.couponCode ? input.couponCode.toUpperCase() : '';
  let promotionCodeId: string | null = null;
  if (couponCode) {
    const validation = await validateCoupon(db, { code: couponCode, productId: offer.product.appId });
    if (!validation.valid) throw new AppError('BAD_REQUEST', INVALID_COUPON_MESSAGE);
    promotionCodeId = (await ensureStripeCoupon(db, stripe, validation.coupon)).stripePromotionCodeId;
  }
  const customer = await ensureStripeCustomer(db, stripe, input.user);
  const trial = Boolean(input.trial) && offer.trialEligible;

  return withAdvisoryLock(db, `checkout:${input.user.id}:${offer.product.appId}`, async (tx) => {
    // Every checkout of this user for this app that may still be payable, whichever plan it was for: at most one
    // may stay open, or two tabs (Starter in one, Growth in the other) could both be paid.
    const openCheckouts = await tx
      .select()
      .from(schema.checkoutSession)
      .where(
        and(
          eq(schema.checkoutSession.userId, input.user.id),
          eq(schema.checkoutSession.appId, offer.product.appId),
          eq(schema.checkoutSession.status, 'open'),
        ),
      )
      .orderBy(desc(schema.checkoutSession.createdAt));
    for (const open of openCheckouts) {
      const previous = open.stripeSessionId
        ? await stripe.checkout.sessions.retrieve(open.stripeSessionId)
        : null;
      if (previous?.status === 'complete') {
        // Paid a moment ago and not provisioned yet: buying again would be the duplicate SPEC §5 forbids.
        throw new AppError(
          'CONFLICT',
          `You already subscribe to ${offer.product.name}. Manage it from your portal.`,
          { details: { manageUrl: `${input.hubUrl}/portal` } },
        );
      }
      // CheckoutSession has no coupon column: the coupon rides in the Stripe session's metadata, read back here.
      const reusable =
        previous?.status === 'open' &&
        open.url &&
        open.plan === offer.plan.id &&
        (previous.metadata?.couponCode ?? '') === couponCode &&
        open.expiresAt !== null &&
        open.expiresAt.getTime() > Date.now() + 60_000;
      if (reusable && open.url) return { url: open.url };
      // Another plan, another coupon (or none), or about to lapse: close it first, so at most one can be paid.
      if (previous?.status === 'open') await stripe.checkout.sessions.expire(previous.id);
      await tx
        .update(schema.checkoutSession)
        .set({ status: 'expired', updatedAt: sql`now()` })
        .where(eq(schema.checkoutSession.id, open.id));
    }

    const [price] = (
      await stripe.prices.list({ lookup_keys: [offer.plan.lookupKey], active: true, limit: 1 })
    ).data;
    if (!price)
      throw new AppError('UNAVAILABLE', 'This plan cannot be bought right now. Please try again later.');
    const [row] = await tx
      .insert(schema.checkoutSession)
      .values({ userId: input.user.id, appId: offer.product.appId, plan: offer.plan.id, returnUrl })
      .returning();
    if (!row) throw new Error('checkout row was not created');
    const metadata = { userId: input.user.id, appId: offer.product.appId, plan: offer.plan.id };
    const session = await stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        customer,
        client_reference_id: input.user.id,
        line_items: [{ price: price.id, quantity: 1 }],
        metadata: couponCode ? { ...metadata, couponCode } : metadata,
        ...(promotionCodeId ? { discounts: [{ promotion_code: promotionCodeId }] } : {}),
        subscription_data: { metadata, ...(trial ? { trial_period_days: CHECKOUT_TRIAL_DAYS } : {}) },
        success_url: `${input.hubUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${input.hubUrl}/checkout/cancel?product=${offer.product.slug}`,
      },
      { idempotencyKey: `omg-checkout-${row.id}` },
    );
    if (!session.url) throw new Error('Stripe returned a checkout session without a URL');
    await tx
      .update(schema.checkoutSession)
      .set({
        stripeSessionId: session.id,
        url: session.url,
        expiresAt: new Date(session.expires_at * 1000),
        updatedAt: sql`now()`,
      })
      .where(eq(schema.checkoutSession.id, row.id));
    return { url: session.url };
  });
}
