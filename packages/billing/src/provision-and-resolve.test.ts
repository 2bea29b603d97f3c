import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { provisionAndResolve } from './provision-and-resolve';
import { syncStripeCatalog } from './sync-catalog';

let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
let growthPrice = '';
const APP = 'app_securevault';

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_provision_and_resolve', emulator.url);
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

async function payingCustomer(): Promise<{ userId: string; customer: string }> {
  const userId = await seedUser(hub.db, { email: uniqueEmail('par'), password: 'resolve-pass-1', name: 'R' });
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  return { userId, customer: customer.id };
}

const subscribe = (customer: string, userId: string) =>
  stripe.subscriptions.create({
    customer,
    items: [{ price: growthPrice }],
    metadata: { userId, appId: APP },
  });

describe('provisionAndResolve', () => {
  it('provisions a first subscription exactly as provisionSubscription does', async () => {
    const { userId, customer } = await payingCustomer();
    const sub = await subscribe(customer, userId);
    const result = await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: sub.id });
    expect(result).toMatchObject({
      outcome: 'provisioned',
      stripeSubscriptionId: sub.id,
      subscription: { userId, appId: APP, plan: 'growth', status: 'active' },
    });
    expect(result.duplicate).toBeUndefined();
    expect((await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: sub.id })).outcome).toBe(
      'unchanged',
    );
  });

  it('cancels and refunds a second live subscription to the same app, keeping the first row', async () => {
    const { userId, customer } = await payingCustomer();
    const kept = await subscribe(customer, userId);
    await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: kept.id });
    const second = await subscribe(customer, userId);

    const result = await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: second.id });
    expect(result).toMatchObject({
      outcome: 'duplicate_resolved',
      stripeSubscriptionId: second.id,
      keptStripeSubscriptionId: kept.id,
      subscription: { stripeSubscriptionId: kept.id },
      duplicate: {
        canceled: true,
        keptStripeSubscriptionId: kept.id,
        duplicateStripeSubscriptionId: second.id,
      },
    });
    expect(result.duplicate?.refundedCents).toBeGreaterThan(0);
    expect(result.reason).toBe(result.duplicate?.summary);
    expect((await stripe.subscriptions.retrieve(second.id)).status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(kept.id)).status).toBe('active');

    // Heard of again later (a late event, the success page after the webhook): the ended newcomer changes nothing.
    const again = await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: second.id });
    expect(again.outcome).toBe('skipped');
    expect(again.duplicate).toBeUndefined();
  });
});
