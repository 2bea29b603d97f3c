import { createStripeClient, provisionAndResolve, syncStripeCatalog } from '@omg/billing';
import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCheckout } from './complete-checkout';

let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
let growthPrice = '';

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_complete_checkout', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  const [price] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'] })).data;
  if (!price) throw new Error('catalog price securevault_growth_monthly missing');
  growthPrice = price.id;
});

afterAll(async () => {
  await hub.pool.end();
  await emulator.close();
});

const newUser = () =>
  seedUser(hub.db, { email: uniqueEmail('success'), password: 'success-pass-1', name: 'S' });

/** A hosted checkout for SVD Growth, paid on the emulator's page (no webhook is configured: the page is first). */
async function paidCheckout(userId: string, customer?: string): Promise<Stripe.Checkout.Session> {
  const metadata = { userId, appId: 'app_securevault', plan: 'growth' };
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    ...(customer ? { customer } : { customer_email: uniqueEmail('buyer') }),
    line_items: [{ price: growthPrice, quantity: 1 }],
    client_reference_id: userId,
    metadata,
    subscription_data: { metadata },
    success_url: 'http://localhost:3100/checkout/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://localhost:3100/checkout/cancel',
  });
  emulator.completeCheckout(session.id, { card: '4242424242424242' });
  return stripe.checkout.sessions.retrieve(session.id);
}

describe('completeCheckout (the success page)', () => {
  it('provisions a paid checkout at once', async () => {
    const userId = await newUser();
    const session = await paidCheckout(userId);
    expect(await completeCheckout(hub.db, stripe, { userId, stripeSessionId: session.id })).toMatchObject({
      state: 'complete',
      productName: 'SecureVault Docs',
      plan: 'growth',
    });
  });

  it('says "not found" only for a checkout Stripe does not know or that is someone else’s', async () => {
    const userId = await newUser();
    const session = await paidCheckout(await newUser());
    for (const stripeSessionId of ['', 'cs_test_does_not_exist', session.id]) {
      await expect(completeCheckout(hub.db, stripe, { userId, stripeSessionId })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'We could not find that checkout.',
      });
    }
  });

  it('cancels and refunds a second subscription to an app the user already has, and says so', async () => {
    const userId = await newUser();
    const first = await paidCheckout(userId);
    expect((await completeCheckout(hub.db, stripe, { userId, stripeSessionId: first.id })).state).toBe(
      'complete',
    );
    const kept = first.subscription as string;

    const second = await paidCheckout(userId, first.customer as string);
    const newcomer = second.subscription as string;
    expect(await completeCheckout(hub.db, stripe, { userId, stripeSessionId: second.id })).toMatchObject({
      state: 'duplicate',
      productName: 'SecureVault Docs',
    });
    expect((await stripe.subscriptions.retrieve(newcomer)).status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(kept)).status).toBe('active');
    const [invoice] = (
      await stripe.invoices.list({ subscription: newcomer, status: 'paid', expand: ['data.payments'] })
    ).data;
    // As on Stripe, the card payment names its payment intent; the refund landed on the intent's charge.
    const payment = invoice?.payments?.data[0]?.payment;
    const intent = payment?.payment_intent;
    if (!invoice || !intent) throw new Error('the second checkout charged nothing');
    expect(payment?.charge).toBeUndefined();
    const { latest_charge: charge } = await stripe.paymentIntents.retrieve(
      typeof intent === 'string' ? intent : intent.id,
    );
    if (!charge) throw new Error('the second checkout charged nothing');
    const refunded = await stripe.charges.retrieve(typeof charge === 'string' ? charge : charge.id);
    expect(refunded).toMatchObject({ refunded: true, amount_refunded: invoice.amount_paid });
    // The row still tracks the first subscription, and a reload of the page refunds nothing more.
    expect(
      (await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: kept })).subscription,
    ).toMatchObject({ stripeSubscriptionId: kept, status: 'active' });
    expect((await completeCheckout(hub.db, stripe, { userId, stripeSessionId: second.id })).state).toBe(
      'duplicate',
    );
    expect((await stripe.refunds.list({ charge: refunded.id })).data).toHaveLength(1);
  });

  it('never says "Payment complete" for a duplicate the webhook already canceled and refunded', async () => {
    const userId = await newUser();
    const first = await paidCheckout(userId);
    await completeCheckout(hub.db, stripe, { userId, stripeSessionId: first.id });
    const second = await paidCheckout(userId, first.customer as string);
    // The webhook got there first: the newcomer is canceled and refunded before the page loads.
    const resolved = await provisionAndResolve(hub.db, stripe, {
      stripeSubscriptionId: second.subscription as string,
    });
    expect(resolved.outcome).toBe('duplicate_resolved');
    for (let reload = 0; reload < 2; reload += 1) {
      expect(await completeCheckout(hub.db, stripe, { userId, stripeSessionId: second.id })).toMatchObject({
        state: 'duplicate',
      });
    }
  });

  it('does not call a checkout whose subscription ended for another reason "complete"', async () => {
    const userId = await newUser();
    const session = await paidCheckout(userId);
    await stripe.subscriptions.cancel(session.subscription as string);
    expect((await completeCheckout(hub.db, stripe, { userId, stripeSessionId: session.id })).state).not.toBe(
      'complete',
    );
  });

  it('reports Stripe being unreachable as an outage, never as "not found"', async () => {
    const gone = await startStripeEmulator();
    const unreachable = createStripeClient('sk_test_complete_checkout', gone.url);
    await gone.close();
    const failure = completeCheckout(hub.db, unreachable, {
      userId: await newUser(),
      stripeSessionId: 'cs_test_while_stripe_is_down',
    });
    await expect(failure).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    await expect(failure).rejects.toThrow(/could not reach our payment provider/);
  }, 30_000);
});
