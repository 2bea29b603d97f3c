import { ensureStripeCoupon } from '@omg/billing';
import { findProductByAppId, ZProductIdSchema } from '@omg/contract';
import { schema, type TDatabase, type TTransaction, withAdvisoryLock } from '@omg/db';
import { AppError, normalizeRedirectTarget } from '@omg/platform';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { INVALID_COUPON_MESSAGE, validateCoupon } from '../coupons/validate-coupon';
import { CHECKOUT_TRIAL_DAYS, getCheckoutOffer } from './checkout-offer';
import { ensureOrganizationStripeCustomer } from './ensure-organization-stripe-customer';
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
 * (409). Two tabs or a double click get the same open checkout: an open, unexpired checkout for the same plan and
 * coupon is handed back instead of a new one, a request finds the other's checkout row while its Stripe session is
 * being created and waits for it, and each write re-checks under the (user, app) lock that the open checkouts are
 * still the ones it settled in Stripe, so at most one checkout per user and app is ever payable. A coupon is checked
 * again here (the page's check is only a preview) and applied as the Stripe promotion code with the same code.
 */
export async function createCheckoutSession(
  db: TDatabase,
  stripe: Stripe,
  input: TCreateCheckoutSessionInput & {
    user: { id: string; email: string; name: string | null };
    /** Buying for the active business account (issue 15; its owner or an admin, checked by the route). */
    organization?: { id: string; name: string; billingEmail: string };
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
  const organization = input.organization;
  const offer = await getCheckoutOffer(db, {
    userId: input.user.id,
    productSlug: product.slug,
    planId: input.plan,
    ...(organization ? { owner: { organizationId: organization.id } } : {}),
  });
  const subscriber = organization ? `${organization.name} already subscribes` : 'You already subscribe';
  if (offer.existing) {
    throw new AppError('CONFLICT', `${subscriber} to ${offer.product.name}. Manage it from your portal.`, {
      details: { manageUrl: `${input.hubUrl}/portal` },
    });
  }
  const couponCode = input.couponCode ? input.couponCode.toUpperCase() : '';
  let promotionCodeId: string | null = null;
  if (couponCode) {
    const validation = await validateCoupon(db, { code: couponCode, productId: offer.product.appId });
    if (!validation.valid) throw new AppError('BAD_REQUEST', INVALID_COUPON_MESSAGE);
    promotionCodeId = (await ensureStripeCoupon(db, stripe, validation.coupon)).stripePromotionCodeId;
  }
  // An organization pays through its own Stripe customer (its billing email), never the buyer's personal one.
  const customer = organization
    ? await ensureOrganizationStripeCustomer(db, stripe, organization)
    : await ensureStripeCustomer(db, stripe, input.user);
  const trial = Boolean(input.trial) && offer.trialEligible;
  const [price] = (await stripe.prices.list({ lookup_keys: [offer.plan.lookupKey], active: true, limit: 1 }))
    .data;
  // More members than the plan includes: their seats are bought with it, as a second line (the per-seat price).
  const seatLookupKey = offer.plan.seatLookupKey;
  const [seatPrice] =
    offer.extraSeatsNeeded > 0 && seatLookupKey
      ? (await stripe.prices.list({ lookup_keys: [seatLookupKey], active: true, limit: 1 })).data
      : [];
  if (offer.extraSeatsNeeded > 0 && !seatPrice) {
    throw new AppError('UNAVAILABLE', 'This plan cannot be bought right now. Please try again later.');
  }
  const extraSeats = String(offer.extraSeatsNeeded);
  if (!price)
    throw new AppError('UNAVAILABLE', 'This plan cannot be bought right now. Please try again later.');

  const alreadySubscribed = () =>
    new AppError('CONFLICT', `${subscriber} to ${offer.product.name}. Manage it from your portal.`, {
      details: { manageUrl: `${input.hubUrl}/portal` },
    });
  // Duplicate prevention is per organization and app for a business account: two admins share its checkouts.
  const lockKey = organization
    ? `checkout:org:${organization.id}:${offer.product.appId}`
    : `checkout:${input.user.id}:${offer.product.appId}`;
  const scope: TCheckoutScope = organization
    ? { organizationId: organization.id, appId: offer.product.appId }
    : { userId: input.user.id, appId: offer.product.appId };

  // Stripe is asked with no connection or lock held (ARCHITECTURE.md "Read Stripe, then lock"): look at the open
  // checkouts, settle them in Stripe, then in one short locked transaction write only if they are still exactly
  // what was looked at; otherwise look again.
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const seen = await openCheckouts(db, scope);
    // A double click: the other request is creating its Stripe session right now. Wait for it, then look again,
    // so both get the same checkout (or the other's is closed below when it is for another plan or coupon).
    const creating = seen.filter((open) => !open.stripeSessionId && !isAbandoned(open));
    if (creating.length > 0) {
      await waitWhileCreating(db, creating);
      continue;
    }
    // Every checkout of this user for this app that may still be payable, whichever plan it was for: at most one
    // may stay open, or two tabs (Starter in one, Growth in the other) could both be paid.
    for (const open of seen) {
      const previous = open.stripeSessionId
        ? await stripe.checkout.sessions.retrieve(open.stripeSessionId)
        : null;
      // Paid a moment ago and not provisioned yet: buying again would be the duplicate SPEC §5 forbids.
      if (previous?.status === 'complete') throw alreadySubscribed();
      // CheckoutSession has no coupon column: the coupon rides in the Stripe session's metadata, read back here.
      const reusable =
        previous?.status === 'open' &&
        open.url &&
        open.plan === offer.plan.id &&
        (previous.metadata?.couponCode ?? '') === couponCode &&
        (previous.metadata?.extraSeats ?? '0') === extraSeats &&
        open.expiresAt !== null &&
        open.expiresAt.getTime() > Date.now() + 60_000;
      if (reusable && open.url) return { url: open.url };
      // Another plan, another coupon (or none), or about to lapse: close it first, so at most one can be paid.
      if (previous?.status === 'open') await stripe.checkout.sessions.expire(previous.id);
    }

    const row = await withAdvisoryLock(db, lockKey, async (tx) => {
      const now = await openCheckouts(tx, scope);
      if (fingerprint(now) !== fingerprint(seen)) return null;
      if (seen.length > 0) {
        await tx
          .update(schema.checkoutSession)
          .set({ status: 'expired', updatedAt: sql`now()` })
          .where(
            inArray(
              schema.checkoutSession.id,
              seen.map((open) => open.id),
            ),
          );
      }
      const [created] = await tx
        .insert(schema.checkoutSession)
        .values({
          userId: input.user.id,
          organizationId: organization?.id ?? null,
          appId: offer.product.appId,
          plan: offer.plan.id,
          returnUrl,
        })
        .returning();
      return created ?? null;
    });
    if (!row) continue;

    // An organization's subscription names the organization (provisioning writes its row) and who bought it.
    const metadata: Record<string, string> = organization
      ? {
          organizationId: organization.id,
          purchasedBy: input.user.id,
          appId: offer.product.appId,
          plan: offer.plan.id,
        }
      : { userId: input.user.id, appId: offer.product.appId, plan: offer.plan.id };
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          customer,
          client_reference_id: input.user.id,
          line_items: [
            { price: price.id, quantity: 1 },
            ...(seatPrice ? [{ price: seatPrice.id, quantity: offer.extraSeatsNeeded }] : []),
          ],
          metadata: {
            ...metadata,
            ...(couponCode ? { couponCode } : {}),
            ...(seatPrice ? { extraSeats } : {}),
          },
          ...(promotionCodeId ? { discounts: [{ promotion_code: promotionCodeId }] } : {}),
          subscription_data: { metadata, ...(trial ? { trial_period_days: CHECKOUT_TRIAL_DAYS } : {}) },
          success_url: `${input.hubUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${input.hubUrl}/checkout/cancel?product=${offer.product.slug}`,
        },
        { idempotencyKey: `omg-checkout-${row.id}` },
      );
      if (!session.url) throw new Error('Stripe returned a checkout session without a URL');
    } catch (error) {
      // Nobody may wait for a checkout that will never have a session (the next click looks at it first).
      await db
        .update(schema.checkoutSession)
        .set({ status: 'expired', updatedAt: sql`now()` })
        .where(and(eq(schema.checkoutSession.id, row.id), isNull(schema.checkoutSession.stripeSessionId)));
      throw error;
    }
    const url = session.url;
    const recorded = await withAdvisoryLock(db, lockKey, (tx) =>
      tx
        .update(schema.checkoutSession)
        .set({
          stripeSessionId: session.id,
          url,
          expiresAt: new Date(session.expires_at * 1000),
          updatedAt: sql`now()`,
        })
        .where(and(eq(schema.checkoutSession.id, row.id), eq(schema.checkoutSession.status, 'open')))
        .returning({ id: schema.checkoutSession.id }),
    );
    if (recorded.length === 0) {
      // Another request took this checkout for abandoned and opened its own: this session must not stay payable.
      await stripe.checkout.sessions.expire(session.id);
      throw new AppError(
        'CONFLICT',
        'Another checkout for this product was opened meanwhile. Please try again.',
      );
    }
    return { url };
  }
  throw new AppError('CONFLICT', 'Another checkout for this product is being opened. Please try again.');
}

/** Looks again this often while another request creates its checkout. */
const MAX_ROUNDS = 4;
/** A checkout row without a Stripe session this old was left by a request that died: nobody waits for it. */
const ABANDONED_AFTER_MS = 60_000;
const WAIT_STEP_MS = 100;

type TCheckoutRow = typeof schema.checkoutSession.$inferSelect;

const isAbandoned = (row: TCheckoutRow) => row.createdAt.getTime() < Date.now() - ABANDONED_AFTER_MS;

/** Which rows are open and which Stripe session each has: what the locked write re-checks. */
const fingerprint = (rows: TCheckoutRow[]) =>
  rows
    .map((row) => `${row.id}:${row.stripeSessionId ?? ''}`)
    .sort()
    .join(',');

/** A person's own checkouts (never their organizations'), or one organization's, whoever of it started them. */
type TCheckoutScope = { appId: string } & ({ userId: string } | { organizationId: string });

function openCheckouts(db: TDatabase | TTransaction, scope: TCheckoutScope) {
  return db
    .select()
    .from(schema.checkoutSession)
    .where(
      and(
        'organizationId' in scope
          ? eq(schema.checkoutSession.organizationId, scope.organizationId)
          : and(
              eq(schema.checkoutSession.userId, scope.userId),
              isNull(schema.checkoutSession.organizationId),
            ),
        eq(schema.checkoutSession.appId, scope.appId),
        eq(schema.checkoutSession.status, 'open'),
      ),
    )
    .orderBy(desc(schema.checkoutSession.createdAt));
}

/** Until every row has its Stripe session or is closed, or is abandoned; one short query at a time. */
async function waitWhileCreating(db: TDatabase, rows: TCheckoutRow[]): Promise<void> {
  const ids = rows.map((row) => row.id);
  const deadline = Math.min(...rows.map((row) => row.createdAt.getTime())) + ABANDONED_AFTER_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    const [pending] = await db
      .select({ id: schema.checkoutSession.id })
      .from(schema.checkoutSession)
      .where(
        and(
          inArray(schema.checkoutSession.id, ids),
          eq(schema.checkoutSession.status, 'open'),
          isNull(schema.checkoutSession.stripeSessionId),
        ),
      )
      .limit(1);
    if (!pending) return;
  }
}
