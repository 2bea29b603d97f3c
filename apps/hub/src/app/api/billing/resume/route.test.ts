import { provisionAndResolve } from '@omg/billing';
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
let cancel: typeof import('../cancel/route').POST;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_resume'));
  ({ POST } = await import('./route'));
  ({ POST: cancel } = await import('../cancel/route'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
});

const growthSubscriber = () => growthSubscriberFor({ db: hub.db, emulator, stripe }, 'resume');
const row = (userId: string) => svdSubscriptionRow(hub.db, userId);
const resume = (cookie?: string, appId = 'app_securevault') =>
  postJson(POST, '/api/billing/resume', { appId }, cookie);

/** "Cancel plan" in Stripe's hosted customer portal (the emulator's), as the customer clicks it. */
async function cancelInPortal(stripeSubscriptionId: string): Promise<void> {
  const subscription = await stripe.subscriptions.retrieve(stripeSubscriptionId);
  const portal = await stripe.billingPortal.sessions.create({ customer: String(subscription.customer) });
  const page = await (await fetch(portal.url)).text();
  expect(page).toContain('data-testid="cancel-subscription"');
  const response = await fetch(`${portal.url}/cancel`, {
    method: 'POST',
    body: new URLSearchParams({ subscription: stripeSubscriptionId }),
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(response.status).toBe(303);
  expect(await (await fetch(portal.url)).text()).toContain('Cancels on');
}

describe('POST /api/billing/resume', () => {
  it('takes back a cancellation made in Stripe’s portal: Stripe and the row renew again', async () => {
    const { cookie, userId } = await growthSubscriber();
    const id = (await row(userId))?.stripeSubscriptionId ?? '';
    await cancelInPortal(id);
    // What the webhook does with the portal's customer.subscription.updated.
    await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: id });
    const booked = await row(userId);
    expect(booked).toMatchObject({ status: 'active', plan: 'growth', cancelAtPeriodEnd: true });

    const response = await resume(cookie);
    expect(response.status).toBe(200);
    expect((await response.json()).subscription).toEqual({
      appId: 'app_securevault',
      plan: 'growth',
      status: 'active',
      cancelAtPeriodEnd: false,
      currentPeriodEnd: booked?.currentPeriodEnd?.toISOString(),
    });
    expect(await stripe.subscriptions.retrieve(id)).toMatchObject({
      status: 'active',
      cancel_at_period_end: false,
      cancel_at: null,
    });
    expect(await row(userId)).toMatchObject({ status: 'active', cancelAtPeriodEnd: false });

    // The renewal comes as before.
    emulator.advanceClock(32 * 24 * 60 * 60);
    await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: id });
    expect((await stripe.subscriptions.retrieve(id)).status).toBe('active');
    expect(await row(userId)).toMatchObject({ status: 'active', plan: 'growth' });
  });

  it('asks Stripe, not the row: a portal cancellation whose webhook has not arrived can be resumed', async () => {
    const { cookie, userId } = await growthSubscriber();
    const id = (await row(userId))?.stripeSubscriptionId ?? '';
    await cancelInPortal(id);
    expect(await row(userId)).toMatchObject({ cancelAtPeriodEnd: false });
    expect((await resume(cookie)).status).toBe(200);
    expect((await stripe.subscriptions.retrieve(id)).cancel_at_period_end).toBe(false);
  });

  it('takes back the Hub’s own cancellation at the end of the period', async () => {
    const { cookie, userId } = await growthSubscriber();
    const booked = await postJson(
      cancel,
      '/api/billing/cancel',
      { appId: 'app_securevault', when: 'period_end' },
      cookie,
    );
    expect(booked.status).toBe(200);
    expect(await row(userId)).toMatchObject({ cancelAtPeriodEnd: true });
    expect((await resume(cookie)).status).toBe(200);
    expect(await row(userId)).toMatchObject({ status: 'active', cancelAtPeriodEnd: false });
  });

  it('refuses without a booked cancellation, after the end, without a subscription and without a session', async () => {
    const { cookie } = await growthSubscriber();
    const nothing = await resume(cookie);
    expect(nothing.status).toBe(409);
    expect((await nothing.json()).error.message).toBe('No cancellation is booked for SecureVault Docs.');
    expect((await resume(cookie, 'app_iq')).status).toBe(404);
    expect((await resume()).status).toBe(401);
    expect((await postJson(POST, '/api/billing/resume', {}, cookie)).status).toBe(400);

    // Ended now: there is nothing left to resume.
    expect(
      (await postJson(cancel, '/api/billing/cancel', { appId: 'app_securevault', when: 'now' }, cookie))
        .status,
    ).toBe(200);
    expect((await resume(cookie)).status).toBe(404);
  });
});
