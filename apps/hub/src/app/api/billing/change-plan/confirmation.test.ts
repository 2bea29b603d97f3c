import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlanChangeConfirmation } from '@/lib/billing/describe-plan-change';
import {
  growthSubscriber as growthSubscriberFor,
  postJson,
  signUpHubUser,
  startBillingTestEnv,
  svdSubscriptionRow,
} from '@/testing/billing-test-env';

const admin = connectAs('admin');
const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let createSession: typeof import('@/app/api/checkout/create-session/route').POST;
let completeCheckout: typeof import('@/lib/checkout/complete-checkout').completeCheckout;
let getSubscriptionCharges: typeof import('@/lib/billing/get-subscription-charges').getSubscriptionCharges;
let listSubscriptionCharges: typeof import('@/lib/billing/list-subscription-charges').listSubscriptionCharges;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_plan_change_confirmation'));
  ({ POST } = await import('./route'));
  ({ POST: createSession } = await import('@/app/api/checkout/create-session/route'));
  ({ completeCheckout } = await import('@/lib/checkout/complete-checkout'));
  ({ getSubscriptionCharges } = await import('@/lib/billing/get-subscription-charges'));
  ({ listSubscriptionCharges } = await import('@/lib/billing/list-subscription-charges'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
  await admin.pool.end();
});

const growthSubscriber = () => growthSubscriberFor({ db: hub.db, emulator, stripe }, 'confirm');

async function changePlan(cookie: string, body: Record<string, string>): Promise<TPlanChangeConfirmation> {
  const response = await postJson(
    POST,
    '/api/billing/change-plan',
    { productId: 'app_securevault', ...body },
    cookie,
  );
  expect(response.status).toBe(200);
  return (await response.json()).confirmation;
}

/** The Stripe subscription behind the user's SecureVault row, with its item's period. */
async function stripeSubscriptionOf(userId: string) {
  const row = await svdSubscriptionRow(hub.db, userId);
  const subscription = await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '');
  return { subscription, periodEnd: (subscription.items.data[0]?.current_period_end ?? 0) * 1000 };
}

describe('the plan change confirmation', () => {
  it('an upgrade: Growth → Pro, the proration invoice Stripe charged, and Pro at the period end next', async () => {
    const { cookie, userId } = await growthSubscriber();
    const confirmation = await changePlan(cookie, { plan: 'pro' });
    const { subscription, periodEnd } = await stripeSubscriptionOf(userId);
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid' });
    expect(confirmation).toEqual({
      productName: 'SecureVault Docs',
      fromPlanName: 'Growth',
      toPlanName: 'Pro',
      effectiveAt: null,
      chargedCents: invoice.total,
      onTrial: false,
      discount: null,
      nextCharge: { amountCents: 2499, at: new Date(periodEnd).toISOString() },
    });
    expect(confirmation.chargedCents).toBeGreaterThan(0);
    expect(confirmation.chargedCents).toBeLessThanOrEqual(2499 - 1499);
  });

  it('a booked downgrade: nothing charged, Starter from the period end, and that is the next charge', async () => {
    const { cookie, userId } = await growthSubscriber();
    const confirmation = await changePlan(cookie, { plan: 'starter', when: 'period_end' });
    const { periodEnd } = await stripeSubscriptionOf(userId);
    expect(confirmation).toMatchObject({
      fromPlanName: 'Growth',
      toPlanName: 'Starter',
      effectiveAt: new Date(periodEnd).toISOString(),
      chargedCents: 0,
      nextCharge: { amountCents: 799, at: new Date(periodEnd).toISOString() },
    });
  });

  it('an immediate downgrade: the unused part is credited, and the next charge is Starter less that credit', async () => {
    const { cookie } = await growthSubscriber();
    const confirmation = await changePlan(cookie, { plan: 'starter', when: 'now' });
    expect(confirmation.effectiveAt).toBeNull();
    expect(confirmation.chargedCents).toBeLessThan(0);
    expect(confirmation.chargedCents).toBeGreaterThanOrEqual(799 - 1499);
    expect(confirmation.nextCharge?.amountCents).toBe(Math.max(0, 799 + confirmation.chargedCents));
  });
});

describe('a coupon and a trial, as the success and billing pages read them from Stripe', () => {
  it('a coupon checkout: the discount and its duration, the discounted next charge, the same on both pages', async () => {
    const code = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    await admin.db
      .insert(schema.coupon)
      .values({ code, description: 'Twenty', type: 'PERCENTAGE', percentOff: 20 });
    const { cookie, userId } = await signUpHubUser('confirm-coupon');
    const body = { productId: 'app_securevault', plan: 'growth', couponCode: code };
    const { url } = await (
      await postJson(createSession, '/api/checkout/create-session', body, cookie)
    ).json();
    const sessionId = new URL(url).pathname.split('/').pop() ?? '';
    emulator.completeCheckout(sessionId, { card: '4242424242424242' });

    const result = await completeCheckout(hub.db, stripe, { userId, stripeSessionId: sessionId });
    expect(result).toMatchObject({ state: 'complete', planName: 'Growth', amountPaidCents: 1199 });
    const charges = await getSubscriptionCharges(stripe, {
      stripeSubscriptionId: result.stripeSubscriptionId ?? '',
    });
    const { periodEnd } = await stripeSubscriptionOf(userId);
    expect(charges).toEqual({
      discount: { percentOff: 20, amountOffCents: null, duration: 'forever', durationInMonths: null },
      nextCharge: { amountCents: 1199, at: new Date(periodEnd) },
      trialing: false,
    });
    expect(
      (await listSubscriptionCharges(hub.db, stripe, { userId })).charges.get('app_securevault'),
    ).toEqual(charges);
  });

  it('a trial checkout: nothing paid, trialing, the first charge at the trial end; a plan change says so', async () => {
    const { cookie, userId } = await signUpHubUser('confirm-trial');
    const body = { productId: 'app_securevault', plan: 'growth', trial: true };
    const { url } = await (
      await postJson(createSession, '/api/checkout/create-session', body, cookie)
    ).json();
    const sessionId = new URL(url).pathname.split('/').pop() ?? '';
    emulator.completeCheckout(sessionId, { card: '4242424242424242' });
    const result = await completeCheckout(hub.db, stripe, { userId, stripeSessionId: sessionId });
    expect(result).toMatchObject({ state: 'complete', amountPaidCents: 0 });
    const { subscription } = await stripeSubscriptionOf(userId);
    const charges = await getSubscriptionCharges(stripe, { stripeSubscriptionId: subscription.id });
    expect(charges).toEqual({
      discount: null,
      nextCharge: { amountCents: 1499, at: new Date((subscription.trial_end ?? 0) * 1000) },
      trialing: true,
    });

    const confirmation = await changePlan(cookie, { plan: 'pro' });
    expect(confirmation).toMatchObject({
      fromPlanName: 'Growth',
      toPlanName: 'Pro',
      onTrial: true,
      chargedCents: 0,
      nextCharge: { amountCents: 2499, at: new Date((subscription.trial_end ?? 0) * 1000).toISOString() },
    });
  });

  it('a coupon applied in Stripe itself (3 months, 20%): its duration, and the renewal it still reduces', async () => {
    const { userId } = await growthSubscriber();
    const { subscription, periodEnd } = await stripeSubscriptionOf(userId);
    const coupon = await stripe.coupons.create({
      percent_off: 20,
      duration: 'repeating',
      duration_in_months: 3,
    });
    await stripe.subscriptions.update(subscription.id, { discounts: [{ coupon: coupon.id }] });
    expect(await getSubscriptionCharges(stripe, { stripeSubscriptionId: subscription.id })).toEqual({
      discount: { percentOff: 20, amountOffCents: null, duration: 'repeating', durationInMonths: 3 },
      nextCharge: { amountCents: 1199, at: new Date(periodEnd) },
      trialing: false,
    });
  });

  it('leaves out a subscription that is ending: no next charge is promised', async () => {
    const { userId } = await growthSubscriber();
    const { subscription } = await stripeSubscriptionOf(userId);
    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(await getSubscriptionCharges(stripe, { stripeSubscriptionId: subscription.id })).toEqual({
      discount: null,
      nextCharge: null,
      trialing: false,
    });
  });
});
