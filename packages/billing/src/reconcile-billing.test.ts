import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { provisionSubscription } from './provision-subscription';
import { reconcileBilling } from './reconcile-billing';
import { syncStripeCatalog } from './sync-catalog';
import { upsertCustomer } from './upsert-customer';

// No webhooks are configured: every change made here through the SDK is a webhook the Hub "missed".
let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
const prices: Record<string, string> = {};
const APP = 'app_securevault';

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_reconcile', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  for (const key of ['securevault_growth_monthly', 'securevault_pro_monthly']) {
    const [price] = (await stripe.prices.list({ lookup_keys: [key] })).data;
    if (!price) throw new Error(`catalog price ${key} missing`);
    prices[key] = price.id;
  }
});

afterAll(async () => {
  await hub.pool.end();
  await emulator.close();
});

/** A user who is a known Stripe customer (hub."Customer") with a card on file. */
async function payingUser(): Promise<{ userId: string; customer: string }> {
  const userId = await seedUser(hub.db, {
    email: uniqueEmail('rec'),
    password: 'reconcile-pass-1',
    name: 'R',
  });
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  await upsertCustomer(hub.db, { userId, stripeCustomerId: customer.id });
  return { userId, customer: customer.id };
}

const subscribe = (customer: string, userId: string, lookupKey = 'securevault_growth_monthly') =>
  stripe.subscriptions.create({
    customer,
    items: [{ price: prices[lookupKey] ?? '' }],
    metadata: { userId, appId: APP },
  });

async function rowsFor(userId: string) {
  return hub.db
    .select()
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, APP)));
}

const dryRun = () => reconcileBilling(hub.db, stripe, { apply: false });
const apply = () => reconcileBilling(hub.db, stripe, { apply: true });

describe('reconcileBilling', () => {
  it('reports drift in a dry run without writing, repairs it with apply, then finds none', async () => {
    const { userId, customer } = await payingUser();
    const sub = await subscribe(customer, userId);
    expect((await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id })).outcome).toBe(
      'provisioned',
    );
    await hub.db.execute(
      sql`UPDATE hub."Subscription" SET "plan" = 'pro', "status" = 'past_due' WHERE "stripeSubscriptionId" = ${sub.id}`,
    );

    const report = await dryRun();
    expect(report.apply).toBe(false);
    expect(report.checked).toBeGreaterThanOrEqual(1);
    const drift = report.drifted.find((d) => d.stripeSubscriptionId === sub.id);
    expect(drift).toMatchObject({ userId, appId: APP, repaired: false });
    expect(drift?.changes).toEqual(
      expect.arrayContaining([
        { field: 'plan', database: 'pro', stripe: 'growth' },
        { field: 'status', database: 'past_due', stripe: 'active' },
      ]),
    );
    expect(drift?.changes).toHaveLength(2);
    expect((await rowsFor(userId)).map((r) => [r.plan, r.status])).toEqual([['pro', 'past_due']]);

    const applied = await apply();
    expect(applied.drifted.find((d) => d.stripeSubscriptionId === sub.id)).toMatchObject({ repaired: true });
    expect(applied.repaired).toBeGreaterThanOrEqual(1);
    expect((await rowsFor(userId)).map((r) => [r.plan, r.status])).toEqual([['growth', 'active']]);

    const after = await dryRun();
    expect(after.drifted.map((d) => d.stripeSubscriptionId)).not.toContain(sub.id);
  });

  it('reports a subscription canceled in Stripe but active in the database as drift', async () => {
    const { userId, customer } = await payingUser();
    const sub = await subscribe(customer, userId);
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id });
    await stripe.subscriptions.cancel(sub.id);

    const drift = (await dryRun()).drifted.find((d) => d.stripeSubscriptionId === sub.id);
    expect(drift?.changes).toContainEqual({ field: 'status', database: 'active', stripe: 'canceled' });
    await apply();
    expect((await rowsFor(userId)).map((r) => r.status)).toEqual(['canceled']);
  });

  it('lists a live Stripe subscription of a known customer that has no row as missing', async () => {
    const { userId, customer } = await payingUser();
    const sub = await subscribe(customer, userId, 'securevault_pro_monthly');

    const report = await dryRun();
    expect(report.missing.filter((m) => m.userId === userId)).toEqual([
      {
        userId,
        appId: APP,
        stripeCustomerId: customer,
        stripeSubscriptionId: sub.id,
        status: 'active',
        repaired: false,
      },
    ]);
    expect(await rowsFor(userId)).toHaveLength(0);

    const applied = await apply();
    expect(applied.missing.find((m) => m.stripeSubscriptionId === sub.id)).toMatchObject({ repaired: true });
    expect((await rowsFor(userId)).map((r) => [r.stripeSubscriptionId, r.plan, r.status])).toEqual([
      [sub.id, 'pro', 'active'],
    ]);
    expect((await dryRun()).missing.map((m) => m.stripeSubscriptionId)).not.toContain(sub.id);
  });

  it('lists a customer with two live subscriptions to one app under duplicates and merges nothing', async () => {
    const { userId, customer } = await payingUser();
    const first = await subscribe(customer, userId);
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: first.id });
    // Created straight through the SDK: the webhook that would cancel and refund it never ran.
    const second = await subscribe(customer, userId, 'securevault_pro_monthly');

    for (const report of [await dryRun(), await apply()]) {
      const groups = report.duplicates.filter((d) => d.userId === userId);
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ appId: APP });
      expect(groups[0]?.subscriptions.map((s) => [s.stripeSubscriptionId, s.tracked, s.status])).toEqual(
        expect.arrayContaining([
          [first.id, true, 'active'],
          [second.id, false, 'active'],
        ]),
      );
      expect(groups[0]?.subscriptions).toHaveLength(2);
      expect(report.missing.map((m) => m.stripeSubscriptionId)).not.toContain(second.id);
    }
    expect((await stripe.subscriptions.retrieve(first.id)).status).toBe('active');
    expect((await stripe.subscriptions.retrieve(second.id)).status).toBe('active');
    expect((await stripe.refunds.list({ limit: 100 })).data.filter((r) => r.customer === customer)).toEqual(
      [],
    );
    expect((await rowsFor(userId)).map((r) => [r.stripeSubscriptionId, r.plan])).toEqual([
      [first.id, 'growth'],
    ]);
  });
});
