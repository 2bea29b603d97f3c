import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { resolveDuplicateSubscription } from './resolve-duplicate-subscription';
import { syncStripeCatalog } from './sync-catalog';

let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
const prices: Record<string, string> = {};
const APP = 'app_securevault';

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_resolve_duplicate', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  for (const key of ['securevault_growth_monthly', 'crm_pro_monthly']) {
    const [price] = (await stripe.prices.list({ lookup_keys: [key] })).data;
    if (!price) throw new Error(`catalog price ${key} missing`);
    prices[key] = price.id;
  }
});

afterAll(async () => {
  await hub.pool.end();
  await emulator.close();
});

const newUser = () =>
  seedUser(hub.db, { email: uniqueEmail('dup'), password: 'duplicate-pass-1', name: 'D' });

async function customerWithCard(): Promise<string> {
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  return customer.id;
}

function subscribe(
  customer: string,
  userId: string,
  options: { lookupKey?: string; trialDays?: number } = {},
): Promise<Stripe.Subscription> {
  return stripe.subscriptions.create({
    customer,
    items: [{ price: prices[options.lookupKey ?? 'securevault_growth_monthly'] ?? '' }],
    ...(options.trialDays ? { trial_period_days: options.trialDays } : {}),
    metadata: { userId, appId: APP },
  });
}

const refundCount = async (customer: string) =>
  (await stripe.refunds.list({ limit: 100 })).data.filter((r) => r.customer === customer).length;

describe('resolveDuplicateSubscription', () => {
  it('cancels a trialing duplicate that charged nothing, and says so', async () => {
    const userId = await newUser();
    const customer = await customerWithCard();
    const kept = await subscribe(customer, userId);
    const duplicate = await subscribe(customer, userId, { trialDays: 7 });

    const result = await resolveDuplicateSubscription(hub.db, stripe, {
      duplicateStripeSubscriptionId: duplicate.id,
      keptStripeSubscriptionId: kept.id,
      userId,
      appId: APP,
    });
    expect(result).toMatchObject({ canceled: true, refundedCents: 0, invoices: [] });
    expect(result.summary).toBe(`kept ${kept.id}; canceled ${duplicate.id} and it had charged nothing`);
    expect((await stripe.subscriptions.retrieve(duplicate.id)).status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(kept.id)).status).toBe('active');
  });

  it('touches nothing when the subscription it would keep is no longer live', async () => {
    const userId = await newUser();
    const customer = await customerWithCard();
    const kept = await subscribe(customer, userId);
    const duplicate = await subscribe(customer, userId);
    await stripe.subscriptions.cancel(kept.id);

    await expect(
      resolveDuplicateSubscription(hub.db, stripe, {
        duplicateStripeSubscriptionId: duplicate.id,
        keptStripeSubscriptionId: kept.id,
        userId,
        appId: APP,
      }),
    ).rejects.toThrow(/no longer live/);
    expect((await stripe.subscriptions.retrieve(duplicate.id)).status).toBe('active');
    expect(await refundCount(customer)).toBe(0);
  });

  it("refuses another user's or another app's subscription, and a subscription as its own duplicate", async () => {
    const userId = await newUser();
    const stranger = await newUser();
    const customer = await customerWithCard();
    const kept = await subscribe(customer, userId);
    const strangers = await subscribe(await customerWithCard(), stranger);
    const otherApp = await subscribe(customer, userId, { lookupKey: 'crm_pro_monthly' });

    const resolve = (duplicateStripeSubscriptionId: string) =>
      resolveDuplicateSubscription(hub.db, stripe, {
        duplicateStripeSubscriptionId,
        keptStripeSubscriptionId: kept.id,
        userId,
        appId: APP,
      });
    await expect(resolve(strangers.id)).rejects.toThrow(/belongs to user/);
    await expect(resolve(otherApp.id)).rejects.toThrow(/not app_securevault/);
    await expect(resolve(kept.id)).rejects.toThrow(/cannot be the duplicate/);
    for (const id of [kept.id, strangers.id, otherApp.id]) {
      expect((await stripe.subscriptions.retrieve(id)).status).toBe('active');
    }
    expect(await refundCount(customer)).toBe(0);
  });

  it("refunds a paid duplicate through its payment intent's latest charge, as on Stripe, and only once", async () => {
    const userId = await newUser();
    const customer = await customerWithCard();
    const kept = await subscribe(customer, userId);
    const duplicate = await subscribe(customer, userId);
    const invoiceId = duplicate.latest_invoice as string;
    // Stripe's shape, which decides the branch taken: `payments` only when expanded, and a card payment that
    // names its payment intent and carries no `charge`.
    expect('payments' in (await stripe.invoices.retrieve(invoiceId))).toBe(false);
    const payments = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
    expect(payments).toHaveLength(1);
    const [payment] = payments;
    expect(payment?.payment.type).toBe('payment_intent');
    expect(payment?.payment.charge).toBeUndefined();
    const intent = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    const chargeId = intent.latest_charge as string;
    expect(chargeId).toMatch(/^ch_/);

    const resolve = () =>
      resolveDuplicateSubscription(hub.db, stripe, {
        duplicateStripeSubscriptionId: duplicate.id,
        keptStripeSubscriptionId: kept.id,
        userId,
        appId: APP,
      });
    const first = await resolve();
    const paid = (await stripe.invoices.retrieve(invoiceId)).amount_paid;
    expect(paid).toBeGreaterThan(0);
    expect(first).toMatchObject({
      canceled: true,
      refundedCents: paid,
      invoices: [{ invoiceId, status: 'refunded', paidCents: paid, refundedCents: paid }],
    });
    const refunds = (await stripe.refunds.list({ limit: 100 })).data.filter((r) => r.customer === customer);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      charge: chargeId,
      payment_intent: intent.id,
      amount: paid,
      reason: 'duplicate',
      metadata: { omgDuplicateOf: kept.id, invoice: invoiceId },
    });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ refunded: true, amount_refunded: paid });

    const second = await resolve();
    expect(second).toMatchObject({
      canceled: false,
      refundedCents: 0,
      invoices: [{ invoiceId, status: 'already_refunded', refundedCents: 0 }],
    });
    expect(await refundCount(customer)).toBe(1);
    expect((await stripe.subscriptions.retrieve(kept.id)).status).toBe('active');
  });
});
