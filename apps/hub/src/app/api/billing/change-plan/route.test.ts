import { connectAs } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  growthSubscriber as growthSubscriberFor,
  postJson,
  startBillingTestEnv,
  svdSubscriptionRow,
} from '@/testing/billing-test-env';

const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let previewPlanChange: typeof import('@/lib/billing/preview-plan-change').previewPlanChange;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_change_plan'));
  ({ POST } = await import('./route'));
  ({ previewPlanChange } = await import('@/lib/billing/preview-plan-change'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
});

const post = postJson;
const WEBHOOK_SECRET = 'whsec_change_plan_test';

/** Makes a card the one Stripe charges, for the customer and the subscription, as the portal's "Update card" does. */
async function useCard(customer: string, subscriptionId: string, card: string) {
  const pm = await stripe.paymentMethods.attach(card, { customer });
  await stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
  await stripe.subscriptions.update(subscriptionId, { default_payment_method: pm.id });
}

/** One event through the Hub's webhook processing, signed as Stripe signs a delivery. */
async function processAsWebhook(event: Stripe.Event) {
  const { processStripeEvent } = await import('@/lib/stripe/webhook/process-stripe-event');
  const { logger } = await import('@/lib/logger');
  const rawBody = JSON.stringify(event);
  await processStripeEvent(
    { db: hub.db, stripe: () => stripe, log: logger },
    {
      rawBody,
      signature: stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: WEBHOOK_SECRET }),
      secrets: WEBHOOK_SECRET,
    },
  );
}
const growthSubscriber = () => growthSubscriberFor({ db: hub.db, emulator, stripe }, 'change');
const row = (userId: string) => svdSubscriptionRow(hub.db, userId);

describe('changing plans', () => {
  it('previews an upgrade as a prorated charge and a downgrade as a credit, changing nothing', async () => {
    const { userId } = await growthSubscriber();
    const up = await previewPlanChange(hub.db, stripe, { userId, productSlug: 'securevault', planId: 'pro' });
    expect(up).toMatchObject({ direction: 'upgrade', fromPlan: 'growth', onTrial: false });
    expect(up.prorationCents).toBeGreaterThan(0);
    expect(up.prorationCents).toBeLessThanOrEqual(2499 - 1499);
    const down = await previewPlanChange(hub.db, stripe, {
      userId,
      productSlug: 'securevault',
      planId: 'starter',
    });
    expect(down.direction).toBe('downgrade');
    expect(down.prorationCents).toBeLessThan(0);
    expect((await row(userId))?.plan).toBe('growth');
  });

  it('upgrades at once: Stripe bills the new price and hub."Subscription" says pro before the response', async () => {
    const { cookie, userId } = await growthSubscriber();
    const response = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro' },
      cookie,
    );
    expect(response.status).toBe(200);
    const saved = await row(userId);
    expect(saved).toMatchObject({ plan: 'pro', status: 'active' });
    const subscription = await stripe.subscriptions.retrieve(saved?.stripeSubscriptionId ?? '', {
      expand: ['items.data.price'],
    });
    expect(subscription.items.data[0]?.price.lookup_key).toBe('securevault_pro_monthly');
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.some((i) => i.billing_reason === 'subscription_update')).toBe(true);
  });

  it('refuses a change to the current plan, to enterprise, without a subscription, and without a session', async () => {
    const { cookie } = await growthSubscriber();
    const same = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'growth' },
      cookie,
    );
    expect(same.status).toBe(409);
    const enterprise = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'enterprise' },
      cookie,
    );
    expect(enterprise.status).toBe(400);
    const none_ = await post(POST, '/api/billing/change-plan', { productId: 'app_crm', plan: 'pro' }, cookie);
    expect(none_.status).toBe(404);
    const anonymous = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro' },
      '',
    );
    expect(anonymous.status).toBe(401);
  });

  it('downgrades at the end of the paid period by default, keeping the paid plan until then', async () => {
    const { cookie, userId } = await growthSubscriber();
    const response = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'starter' },
      cookie,
    );
    expect(response.status).toBe(200);
    const before = await row(userId);
    expect(before).toMatchObject({ plan: 'growth', scheduledPlan: 'starter' });
    expect(before?.scheduledPlanAt?.getTime()).toBe(before?.currentPeriodEnd?.getTime());
    const subscription = await stripe.subscriptions.retrieve(before?.stripeSubscriptionId ?? '', {
      expand: ['items.data.price'],
    });
    expect(subscription.items.data[0]?.price.lookup_key).toBe('securevault_starter_monthly');
    expect(
      (await stripe.invoices.list({ subscription: subscription.id })).data.some(
        (i) => i.billing_reason === 'subscription_update',
      ),
    ).toBe(false);

    // The renewal bills Starter, and from then on the user has Starter.
    emulator.advanceClock(32 * 24 * 60 * 60);
    const { provisionSubscription } = await import('@omg/billing');
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: subscription.id });
    expect(await row(userId)).toMatchObject({
      plan: 'starter',
      scheduledPlan: null,
      scheduledPlanAt: null,
      status: 'active',
    });
  });

  it('downgrades at once on request, crediting the rest of the period', async () => {
    const { cookie, userId } = await growthSubscriber();
    const response = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'starter', when: 'now' },
      cookie,
    );
    expect(response.status).toBe(200);
    expect(await row(userId)).toMatchObject({ plan: 'starter', scheduledPlan: null });
    const invoices = await stripe.invoices.list({
      subscription: (await row(userId))?.stripeSubscriptionId ?? '',
    });
    const update = invoices.data.find((i) => i.billing_reason === 'subscription_update');
    expect(update?.total).toBeLessThan(0);
  });

  it('a declined upgrade leaves Growth in force in the DB and in Stripe, bills nothing, leaves nothing to retry; a new card then upgrades', async () => {
    const { cookie, userId } = await growthSubscriber();
    const before = await row(userId);
    const subscriptionId = before?.stripeSubscriptionId ?? '';
    const customer = before?.stripeCustomerId ?? '';
    // The card on file starts declining (Stripe's 0341: it saved fine, every charge now fails).
    await useCard(customer, subscriptionId, 'pm_card_chargeCustomerFail');
    const chargesBefore = (await stripe.charges.list({ customer })).data;
    const since = (await stripe.events.list({ limit: 1 })).data[0]?.id ?? '';

    const declined = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro' },
      cookie,
    );
    expect(declined.status).toBe(402);
    expect((await declined.json()).error).toMatchObject({
      code: 'PAYMENT_REQUIRED',
      message: 'Your card was declined; you are still on Growth.',
    });
    expect(await row(userId)).toMatchObject({ plan: 'growth', status: 'active', scheduledPlan: null });
    const inStripe = await stripe.subscriptions.retrieve(subscriptionId, { expand: ['items.data.price'] });
    expect(inStripe).toMatchObject({ status: 'active', latest_invoice: expect.any(String) });
    expect(inStripe.items.data[0]?.price.lookup_key).toBe('securevault_growth_monthly');
    expect(inStripe.metadata.plan).not.toBe('pro');
    // Nothing was charged and nothing is left open for Stripe's retries to collect later.
    const invoices = (await stripe.invoices.list({ customer })).data;
    expect(invoices.filter((i) => i.billing_reason === 'subscription_update')).toEqual([]);
    expect(invoices.filter((i) => i.status === 'open')).toEqual([]);
    const charges = (await stripe.charges.list({ customer })).data;
    expect(charges.filter((c) => c.status === 'succeeded')).toHaveLength(
      chargesBefore.filter((c) => c.status === 'succeeded').length,
    );
    expect(charges.filter((c) => c.status === 'failed')).toHaveLength(1);

    // Every event the attempt sent goes through the Hub's webhook processing: none provisions Pro.
    const events = (await stripe.events.list({ ending_before: since, limit: 100 })).data.reverse();
    expect(events.map((e) => e.type).sort()).toEqual(['charge.failed', 'payment_intent.payment_failed']);
    for (const event of events) await processAsWebhook(event);
    expect(await row(userId)).toMatchObject({ plan: 'growth', status: 'active' });
    // Days later (when Stripe would retry an open invoice), still nothing charged and still Growth.
    emulator.advanceClock(4 * 24 * 60 * 60);
    expect((await stripe.charges.list({ customer })).data).toHaveLength(charges.length);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('active');

    // A working card, and the same upgrade again: now it is charged and in force.
    await useCard(customer, subscriptionId, 'pm_card_visa');
    const retried = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro' },
      cookie,
    );
    expect(retried.status).toBe(200);
    expect(await row(userId)).toMatchObject({ plan: 'pro', status: 'active' });
    const upgraded = await stripe.subscriptions.retrieve(subscriptionId, { expand: ['items.data.price'] });
    expect(upgraded.items.data[0]?.price.lookup_key).toBe('securevault_pro_monthly');
    const update = (await stripe.invoices.list({ customer })).data.find(
      (i) => i.billing_reason === 'subscription_update',
    );
    expect(update).toMatchObject({ status: 'paid' });
    expect(update?.amount_paid).toBeGreaterThan(0);
  });

  it('refuses to postpone an upgrade', async () => {
    const { cookie } = await growthSubscriber();
    const response = await post(
      POST,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro', when: 'period_end' },
      cookie,
    );
    expect(response.status).toBe(400);
  });
});
