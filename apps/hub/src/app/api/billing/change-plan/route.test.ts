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
