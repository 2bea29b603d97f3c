import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const KEY = 'sk_test_billing_cancel_route';
const admin = connectAs('admin');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let createSession: typeof import('../../checkout/create-session/route').POST;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv(KEY));
  ({ POST } = await import('./route'));
  ({ POST: createSession } = await import('../../checkout/create-session/route'));
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
});

const signedIn = () => signUpHubUser('cancel');

function post(handler: typeof POST, path: string, body: unknown, cookie?: string) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (cookie) headers.set('cookie', cookie);
  return handler(new Request(`${HUB}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }), {
    params: Promise.resolve({}),
  });
}

const cancel = (body: unknown, cookie?: string) => post(POST, '/api/billing/cancel', body, cookie);

/** Buys a plan the way a user does: the Hub's checkout route, "Pay" on Stripe's page, then the success page. */
async function subscribe(user: { cookie: string; userId: string }, plan = 'growth', trial = true) {
  const response = await post(
    createSession,
    '/api/checkout/create-session',
    { productId: 'app_securevault', plan, trial },
    user.cookie,
  );
  expect(response.status).toBe(200);
  const sessionId = new URL((await response.json()).url).pathname.split('/').pop() ?? '';
  emulator.completeCheckout(sessionId, { card: '4242424242424242' });
  const { completeCheckout } = await import('@/lib/checkout/complete-checkout');
  const { db } = await import('@/lib/db');
  await completeCheckout(db(), stripe, { userId: user.userId, stripeSessionId: sessionId });
  const [row] = await rowOf(user.userId);
  expect(row).toMatchObject({ plan, status: 'active' });
  return row?.stripeSubscriptionId ?? '';
}

function rowOf(userId: string, appId = 'app_securevault') {
  return admin.db
    .select()
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, appId)));
}

describe('POST /api/billing/cancel', () => {
  it('requires a Hub session', async () => {
    const response = await cancel({ appId: 'app_securevault' });
    expect(response.status).toBe(401);
  });

  it('validates the body', async () => {
    const { cookie } = await signedIn();
    const response = await cancel({}, cookie);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain('appId');
  });

  it('answers 404 for an app the user has no subscription to', async () => {
    const user = await signedIn();
    await subscribe(user);
    const response = await cancel({ appId: 'app_crm' }, user.cookie);
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe('You have no subscription to OMG-CRM.');
    // Somebody else's cancel request names the app, never the user: theirs stays untouched.
    const stranger = await signedIn();
    expect((await cancel({ appId: 'app_securevault' }, stranger.cookie)).status).toBe(404);
    expect((await rowOf(user.userId))[0]?.status).toBe('active');
  });

  it('cancels in Stripe at once and ends access in hub."Subscription"; a second cancel answers the same', async () => {
    const user = await signedIn();
    const stripeSubscriptionId = await subscribe(user);
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('trialing');

    const response = await cancel({ appId: 'app_securevault' }, user.cookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subscription: {
        appId: 'app_securevault',
        plan: 'growth',
        status: 'canceled',
        cancelAtPeriodEnd: false,
      },
    });
    const inStripe = await stripe.subscriptions.retrieve(stripeSubscriptionId);
    expect(inStripe.status).toBe('canceled');
    expect(inStripe.cancel_at_period_end).toBe(false);
    const [row] = await rowOf(user.userId);
    expect(row).toMatchObject({ status: 'canceled', stripeSubscriptionId, trialEndsAt: null });

    const again = await cancel({ appId: 'app_securevault' }, user.cookie);
    expect(again.status).toBe(200);
    expect((await again.json()).subscription.status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('canceled');
  });

  it('two cancels at once both succeed and leave one canceled subscription', async () => {
    const user = await signedIn();
    const stripeSubscriptionId = await subscribe(user, 'pro', false);
    const responses = await Promise.all([
      cancel({ appId: 'app_securevault' }, user.cookie),
      cancel({ appId: 'app_securevault' }, user.cookie),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('canceled');
    expect((await rowOf(user.userId))[0]?.status).toBe('canceled');
  });

  it('ends the row when Stripe had already canceled it and the webhook never arrived', async () => {
    const user = await signedIn();
    const stripeSubscriptionId = await subscribe(user, 'growth', false);
    await stripe.subscriptions.cancel(stripeSubscriptionId);
    expect((await rowOf(user.userId))[0]?.status).toBe('active');

    const response = await cancel({ appId: 'app_securevault' }, user.cookie);
    expect(response.status).toBe(200);
    expect((await rowOf(user.userId))[0]?.status).toBe('canceled');
  });

  it('cancels a subscription provisioned by SQL (no Stripe subscription) in the database', async () => {
    const user = await signedIn();
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_securevault', 'pro', 'active')`,
      [user.userId],
    );
    const response = await cancel({ appId: 'app_securevault' }, user.cookie);
    expect(response.status).toBe(200);
    expect((await response.json()).subscription).toMatchObject({ plan: 'pro', status: 'canceled' });
    expect((await rowOf(user.userId))[0]).toMatchObject({ status: 'canceled', stripeSubscriptionId: null });
    expect((await cancel({ appId: 'app_securevault' }, user.cookie)).status).toBe(200);
  });

  it('with when "period_end", keeps access until the period ends, as Stripe’s portal does, then Stripe ends it', async () => {
    const user = await signedIn();
    const stripeSubscriptionId = await subscribe(user, 'growth', false);
    const periodEnd = (await rowOf(user.userId))[0]?.currentPeriodEnd;
    expect(periodEnd).toBeInstanceOf(Date);

    const response = await cancel({ appId: 'app_securevault', when: 'period_end' }, user.cookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subscription: {
        appId: 'app_securevault',
        plan: 'growth',
        status: 'active',
        cancelAtPeriodEnd: true,
        currentPeriodEnd: periodEnd?.toISOString(),
      },
    });
    const inStripe = await stripe.subscriptions.retrieve(stripeSubscriptionId);
    expect(inStripe).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect((await rowOf(user.userId))[0]).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });

    // When the period is over Stripe ends it; nothing more was charged.
    emulator.advanceClock(32 * 24 * 60 * 60);
    const { provisionSubscription } = await import('@omg/billing');
    const { db } = await import('@/lib/db');
    await provisionSubscription(db(), stripe, { stripeSubscriptionId });
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('canceled');
    expect((await rowOf(user.userId))[0]?.status).toBe('canceled');
    const invoices = await stripe.invoices.list({ subscription: stripeSubscriptionId });
    expect(invoices.data.map((i) => i.billing_reason)).toEqual(['subscription_create']);
  });

  it('with when "now" (also the default), ends access at once even after a cancellation was booked', async () => {
    const user = await signedIn();
    const stripeSubscriptionId = await subscribe(user, 'growth', false);
    expect((await cancel({ appId: 'app_securevault', when: 'period_end' }, user.cookie)).status).toBe(200);
    const response = await cancel({ appId: 'app_securevault', when: 'now' }, user.cookie);
    expect(response.status).toBe(200);
    expect((await response.json()).subscription).toMatchObject({ status: 'canceled' });
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('canceled');
    expect((await rowOf(user.userId))[0]?.status).toBe('canceled');
  });

  it('refuses an unknown when, and a period end for a subscription Stripe does not manage', async () => {
    const user = await signedIn();
    const bad = await cancel({ appId: 'app_securevault', when: 'tomorrow' }, user.cookie);
    expect(bad.status).toBe(400);
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_securevault', 'pro', 'active')`,
      [user.userId],
    );
    const manual = await cancel({ appId: 'app_securevault', when: 'period_end' }, user.cookie);
    expect(manual.status).toBe(409);
    expect((await rowOf(user.userId))[0]).toMatchObject({ status: 'active', cancelAtPeriodEnd: false });
    const none = await cancel({ appId: 'app_crm', when: 'period_end' }, user.cookie);
    expect(none.status).toBe(404);
  });
});
