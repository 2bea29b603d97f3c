import { createStripeClient, provisionSubscription } from '@omg/billing';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { asc, inArray } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBillingTestEnv } from '@/testing/billing-test-env';
import { compareMrrWithStripe } from './compare-mrr-with-stripe';
import { computeSubscriptionMetrics } from './compute-subscription-metrics';

// The real SDK against a fresh emulator: only this file's subscriptions are in it, so Stripe's side is exact.
const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;
const userIds: string[] = [];

async function priceOf(lookupKey: string): Promise<string> {
  const [price] = (await stripe.prices.list({ lookup_keys: [lookupKey] })).data;
  if (!price) throw new Error(`no price ${lookupKey}`);
  return price.id;
}

/** A user with a card, subscribed to `items` in Stripe and provisioned as the webhook would. */
async function subscriber(items: Stripe.SubscriptionCreateParams.Item[], trialDays?: number) {
  const userId = await seedUser(hub.db, {
    email: uniqueEmail('mrr'),
    password: 'mrr-check-pass-1',
    name: 'M',
  });
  userIds.push(userId);
  const customer = await stripe.customers.create({
    email: uniqueEmail('mrr-cus'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items,
    metadata: { userId, appId: 'app_securevault' },
    ...(trialDays ? { trial_period_days: trialDays } : {}),
  });
  await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: subscription.id });
  return subscription;
}

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_mrr_check'));
  await subscriber([{ price: await priceOf('securevault_growth_monthly') }]);
  await subscriber([{ price: await priceOf('securevault_pro_monthly') }], 14);
  await subscriber([
    { price: await priceOf('securevault_business_starter_monthly') },
    { price: await priceOf('securevault_business_starter_seat_monthly'), quantity: 2 },
  ]);
  const ended = await subscriber([{ price: await priceOf('securevault_starter_monthly') }]);
  await stripe.subscriptions.cancel(ended.id);
  await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: ended.id });
  // A yearly price of no product of ours: it counts a twelfth a month, and only without a product filter.
  const yearly = await stripe.prices.create({
    currency: 'usd',
    unit_amount: 12_000,
    recurring: { interval: 'year' },
    product_data: { name: 'Something yearly' },
  });
  const customer = await stripe.customers.create({
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  await stripe.subscriptions.create({ customer: customer.id, items: [{ price: yearly.id }] });
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
});

// Growth 14.99 + Business Starter 29.99 with 2 extra seats at 6.00 (the trial and the canceled one do not count).
const SVD_CENTS = 1499 + 2999 + 2 * 600;
const ALL_CENTS = SVD_CENTS + 1000;

describe('MRR compared with Stripe’s subscriptions (issue 14)', () => {
  it('computes Stripe’s MRR as ours (trials and ended out, seats in, yearly over 12), over every page', async () => {
    const all = await compareMrrWithStripe(hub.db, stripe, {
      hubCents: ALL_CENTS,
      product: 'all',
      pageSize: 2,
    });
    expect(all).toMatchObject({
      status: 'agrees',
      stripeCents: ALL_CENTS,
      differenceCents: 0,
      subscriptionsCounted: 3,
    });
    const svd = await compareMrrWithStripe(hub.db, stripe, {
      hubCents: SVD_CENTS,
      product: 'app_securevault',
    });
    expect(svd).toMatchObject({ status: 'agrees', stripeCents: SVD_CENTS });
  });

  it('agrees with the MRR our own history gives for the same subscriptions', async () => {
    const rows = await hub.db
      .select()
      .from(schema.subscriptionChange)
      .where(inArray(schema.subscriptionChange.userId, userIds))
      .orderBy(asc(schema.subscriptionChange.occurredAt), asc(schema.subscriptionChange.id));
    const now = new Date();
    const [figures] = computeSubscriptionMetrics(rows, [
      { key: 'now', start: now, end: new Date(now.getTime() + 1) },
    ]);
    const hubCents = figures?.mrrStartCents ?? -1;
    expect(hubCents).toBe(SVD_CENTS);
    expect(
      await compareMrrWithStripe(hub.db, stripe, { hubCents, product: 'app_securevault' }),
    ).toMatchObject({
      status: 'agrees',
      differenceCents: 0,
    });
  });

  it('agrees within 0.5 % and says by how much it differs beyond', async () => {
    const within = Math.floor(ALL_CENTS * 1.005);
    expect(await compareMrrWithStripe(hub.db, stripe, { hubCents: within, product: 'all' })).toMatchObject({
      status: 'agrees',
    });
    const beyond = await compareMrrWithStripe(hub.db, stripe, { hubCents: ALL_CENTS + 100, product: 'all' });
    expect(beyond).toMatchObject({ status: 'differs', differenceCents: 100 });
    if (beyond.status !== 'differs') throw new Error('expected a difference');
    expect(beyond.differencePercent).toBeCloseTo((100 * 100) / ALL_CENTS, 5);
  });

  it('is unavailable, not an error, when Stripe does not answer or takes too long', async () => {
    const nowhere = createStripeClient('sk_test_mrr_check', 'http://127.0.0.1:9', {
      timeoutMs: 500,
      maxNetworkRetries: 0,
    });
    const down = await compareMrrWithStripe(hub.db, nowhere, { hubCents: 100, product: 'all' });
    expect(down).toMatchObject({ status: 'unavailable', hubCents: 100 });
    const slow = await compareMrrWithStripe(hub.db, stripe, { hubCents: 100, product: 'all', timeoutMs: 0 });
    expect(slow).toEqual({
      status: 'unavailable',
      hubCents: 100,
      reason: 'Stripe took too long to list the subscriptions.',
    });
  });
});
