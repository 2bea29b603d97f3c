import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let changePlan: typeof import('../change-plan/route').POST;
let createSession: typeof import('../../checkout/create-session/route').POST;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_keep_plan'));
  ({ POST } = await import('./route'));
  ({ POST: changePlan } = await import('../change-plan/route'));
  ({ POST: createSession } = await import('../../checkout/create-session/route'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
});

function post(route: typeof POST, path: string, body: unknown, cookie?: string) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (cookie) headers.set('cookie', cookie);
  return route(new Request(`${HUB}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }), {
    params: Promise.resolve({}),
  });
}

/** A user who paid for SecureVault Growth (no trial) through the real checkout route and the emulator. */
async function growthSubscriber(): Promise<{ cookie: string; userId: string }> {
  const { cookie, userId } = await signUpHubUser('keep');
  const { url } = await (
    await post(
      createSession,
      '/api/checkout/create-session',
      { productId: 'app_securevault', plan: 'growth' },
      cookie,
    )
  ).json();
  const sessionId = new URL(url).pathname.split('/').pop() ?? '';
  emulator.completeCheckout(sessionId, { card: '4242424242424242' });
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  const { provisionSubscription } = await import('@omg/billing');
  await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: String(session.subscription) });
  return { cookie, userId };
}

async function row(userId: string) {
  const [found] = await hub.db
    .select()
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, 'app_securevault')));
  return found;
}

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
