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
let changePlan: typeof import('../change-plan/route').POST;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_keep_plan'));
  ({ POST } = await import('./route'));
  ({ POST: changePlan } = await import('../change-plan/route'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
});

const post = postJson;
const growthSubscriber = () => growthSubscriberFor({ db: hub.db, emulator, stripe }, 'keep');
const row = (userId: string) => svdSubscriptionRow(hub.db, userId);

describe('POST /api/billing/keep-plan', () => {
  it('undoes a booked downgrade in Stripe and on the row, charging nothing', async () => {
    const { cookie, userId } = await growthSubscriber();
    const booked = await post(
      changePlan,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'starter' },
      cookie,
    );
    expect(booked.status).toBe(200);
    expect(await row(userId)).toMatchObject({ plan: 'growth', scheduledPlan: 'starter' });

    const response = await post(POST, '/api/billing/keep-plan', { productId: 'app_securevault' }, cookie);
    expect(response.status).toBe(200);
    expect((await response.json()).subscription).toMatchObject({ plan: 'growth' });
    const kept = await row(userId);
    expect(kept).toMatchObject({
      plan: 'growth',
      scheduledPlan: null,
      scheduledPlanAt: null,
      status: 'active',
    });
    const subscription = await stripe.subscriptions.retrieve(kept?.stripeSubscriptionId ?? '', {
      expand: ['items.data.price'],
    });
    expect(subscription.items.data[0]?.price.lookup_key).toBe('securevault_growth_monthly');
    expect(subscription.metadata).toMatchObject({ plan: 'growth' });
    expect(subscription.metadata?.keepPlan ?? '').toBe('');
    expect(subscription.metadata?.keepPlanUntil ?? '').toBe('');
    expect(
      (await stripe.invoices.list({ subscription: subscription.id })).data.some(
        (i) => i.billing_reason === 'subscription_update',
      ),
    ).toBe(false);

    // The renewal still bills Growth: nothing of the downgrade is left to take effect.
    emulator.advanceClock(32 * 24 * 60 * 60);
    const { provisionSubscription } = await import('@omg/billing');
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: subscription.id });
    expect(await row(userId)).toMatchObject({ plan: 'growth', scheduledPlan: null, status: 'active' });
  });

  it('refuses without a booked change, without a subscription and without a session', async () => {
    const { cookie } = await growthSubscriber();
    const nothingBooked = await post(
      POST,
      '/api/billing/keep-plan',
      { productId: 'app_securevault' },
      cookie,
    );
    expect(nothingBooked.status).toBe(409);
    expect((await nothingBooked.json()).error.message).toBe('No plan change is booked for SecureVault Docs.');
    const noSubscription = await post(POST, '/api/billing/keep-plan', { productId: 'app_iq' }, cookie);
    expect(noSubscription.status).toBe(404);
    expect((await post(POST, '/api/billing/keep-plan', { productId: 'app_securevault' })).status).toBe(401);
  });
});
