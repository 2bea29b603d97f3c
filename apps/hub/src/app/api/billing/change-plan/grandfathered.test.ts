import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  growthSubscriber,
  postJson,
  signUpHubUser,
  startBillingTestEnv,
  svdSubscriptionRow,
} from '@/testing/billing-test-env';

const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let previewPlanChange: typeof import('@/lib/billing/preview-plan-change').previewPlanChange;
let listBillingSubscriptions: typeof import('@/lib/billing/list-billing-subscriptions').listBillingSubscriptions;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_grandfathered'));
  ({ POST } = await import('./route'));
  ({ previewPlanChange } = await import('@/lib/billing/preview-plan-change'));
  ({ listBillingSubscriptions } = await import('@/lib/billing/list-billing-subscriptions'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
});

/**
 * A customer migrated from SecureVault's own billing (SPEC §7) who has claimed their account: their pre-Hub Stripe
 * subscription on a legacy $9.99 Growth price (no lookup key, not in the catalog), and the row the migration wrote.
 */
async function migratedGrowthCustomer() {
  const { cookie, userId } = await signUpHubUser('grandfathered');
  const [growth] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'] })).data;
  const legacy = await stripe.prices.create({
    product: String(growth?.product),
    unit_amount: 999,
    currency: 'usd',
    recurring: { interval: 'month' },
  });
  const customer = await stripe.customers.create({
    email: uniqueEmail('legacy'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: legacy.id }],
    metadata: { userId, appId: 'app_securevault', plan: 'growth' },
  });
  await hub.db.insert(schema.subscription).values({
    id: randomUUID(),
    userId,
    appId: 'app_securevault',
    plan: 'growth',
    status: 'active',
    stripeSubscriptionId: subscription.id,
    stripeCustomerId: customer.id,
    stripePriceId: legacy.id,
    source: 'svd_direct_migration',
    migratedAt: new Date(),
    grandfatheredPriceCents: 999,
  });
  return { cookie, userId };
}

describe('a grandfathered (migrated) subscription changing plan', () => {
  it('shows the grandfathered price; the preview says it is given up; the change gives it up', async () => {
    const { cookie, userId } = await migratedGrowthCustomer();
    const [before] = await listBillingSubscriptions(hub.db, { userId });
    expect(before).toMatchObject({
      plan: 'growth',
      planName: 'Growth',
      priceCents: 999,
      grandfathered: true,
    });

    const preview = await previewPlanChange(hub.db, stripe, {
      userId,
      productSlug: 'securevault',
      planId: 'pro',
    });
    expect(preview).toMatchObject({ direction: 'upgrade', fromPlan: 'growth', grandfatheredPriceCents: 999 });
    // Previewing changes nothing.
    expect((await svdSubscriptionRow(hub.db, userId))?.grandfatheredPriceCents).toBe(999);

    const response = await postJson(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro' },
      cookie,
    );
    expect(response.status).toBe(200);
    const row = await svdSubscriptionRow(hub.db, userId);
    expect(row).toMatchObject({ plan: 'pro', status: 'active', grandfatheredPriceCents: null });
    const [after] = await listBillingSubscriptions(hub.db, { userId });
    expect(after).toMatchObject({ plan: 'pro', priceCents: 2499, grandfathered: false });
  });

  it('a customer who bought through the Hub has no grandfathered price to give up', async () => {
    const { userId } = await growthSubscriber({ db: hub.db, emulator, stripe }, 'not-grandfathered');
    const preview = await previewPlanChange(hub.db, stripe, {
      userId,
      productSlug: 'securevault',
      planId: 'pro',
    });
    expect(preview).toMatchObject({ fromPlan: 'growth', grandfatheredPriceCents: null });
    const [listed] = await listBillingSubscriptions(hub.db, { userId });
    expect(listed).toMatchObject({ priceCents: 1499, grandfathered: false });
  });
});
