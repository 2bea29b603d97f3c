import { idOf, isResourceMissing, provisionAndResolve } from '@omg/billing';
import { findProductByAppId, isEndedStripeStatus, isLiveHubStatus, planDisplayName } from '@omg/contract';
import { findOwnedSubscription, schema, type TBillingOwner, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { recordCouponRedemption } from '../coupons/record-coupon-redemption';

export interface TCheckoutResult {
  /**
   * `complete` only when the user's row for the app tracks this very subscription and gives access; `duplicate`:
   * the user already had this app and this payment was canceled and refunded (here or by the webhook first);
   * `ended`: the subscription is over for another reason; `pending`: Stripe has not confirmed it yet.
   */
  state: 'complete' | 'pending' | 'duplicate' | 'ended';
  productName: string;
  plan: string;
  /** The plan in the catalog's words ("Growth"), for the page; never the id. */
  planName: string;
  /** What the checkout charged today (0 for a trial); null until Stripe has totals. */
  amountPaidCents: number | null;
  stripeSubscriptionId: string | null;
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
  const notFound = new AppError('NOT_FOUND', 'We could not find that checkout.');
  if (!input.stripeSessionId) throw notFound;
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(input.stripeSessionId);
  } catch (error) {
    if (isResourceMissing(error)) throw notFound;
    // The payment may well have gone through: saying "not found" would send the user to pay again.
    throw new AppError(
      'UNAVAILABLE',
      'We could not reach our payment provider to confirm this payment. Please reload this page in a minute.',
      { cause: error },
    );
  }
  if (session.client_reference_id !== input.userId) throw notFound;
  const [row] = await db
    .select()
    .from(schema.checkoutSession)
    .where(eq(schema.checkoutSession.stripeSessionId, session.id));
  const appId = row?.appId ?? session.metadata?.appId ?? '';
  const plan = row?.plan ?? session.metadata?.plan ?? '';
  const subscriptionId = idOf(session.subscription);
  const base = {
    productName: findProductByAppId(appId)?.name ?? 'your product',
    plan,
    planName: plan ? planDisplayName(appId, plan) : '',
    amountPaidCents: session.amount_total,
    stripeSubscriptionId: subscriptionId,
    returnUrl: row?.returnUrl ?? null,
  };
  if (session.status !== 'complete' || !subscriptionId) return { ...base, state: 'pending' };
  // A second subscription for an app the user already has is canceled and refunded here too, whichever of this
  // page and the webhook gets there first.
  const provisioned = await provisionAndResolve(db, stripe, { stripeSubscriptionId: subscriptionId });
  if (row) {
    await db
      .update(schema.checkoutSession)
      .set({ status: 'complete', updatedAt: sql`now()` })
      .where(eq(schema.checkoutSession.id, row.id));
  }
  for (const discount of session.discounts ?? []) {
    const promotionCode = idOf(discount.promotion_code);
    if (promotionCode) await recordCouponRedemption(db, stripe, { stripePromotionCodeId: promotionCode });
  }
  // An organization's checkout (issue 15) provisions the organization's row, not the buyer's.
  const organizationId = row?.organizationId ?? session.metadata?.organizationId;
  const owner: TBillingOwner = organizationId ? { organizationId } : { userId: input.userId };
  return {
    ...base,
    state: await checkoutState(db, stripe, { owner, appId, subscriptionId, provisioned }),
  };
}

/** What the page may truthfully say, from the row provisioning left and, when it is not ours, from Stripe. */
async function checkoutState(
  db: TDatabase,
  stripe: Stripe,
  input: {
    owner: TBillingOwner;
    appId: string;
    subscriptionId: string;
    provisioned: Awaited<ReturnType<typeof provisionAndResolve>>;
  },
): Promise<TCheckoutResult['state']> {
  if (input.provisioned.outcome === 'duplicate_resolved') return 'duplicate';
  const row = await findOwnedSubscription(db, { owner: input.owner, appId: input.appId });
  if (row?.stripeSubscriptionId === input.subscriptionId && isLiveHubStatus(row.status)) return 'complete';
  const subscription = await stripe.subscriptions.retrieve(input.subscriptionId);
  if (!isEndedStripeStatus(subscription.status)) return 'pending';
  // Ended while another live subscription holds the app: the webhook resolved it as a duplicate before us.
  return row && row.stripeSubscriptionId !== input.subscriptionId && isLiveHubStatus(row.status)
    ? 'duplicate'
    : 'ended';
}
