import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { provisionSubscription } from './provision-subscription';
import { syncStripeCatalog } from './sync-catalog';
import { upsertCustomer } from './upsert-customer';

let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
const prices: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_provision', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  for (const key of ['securevault_growth_monthly', 'securevault_pro_monthly', 'crm_pro_monthly']) {
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
  seedUser(hub.db, { email: uniqueEmail('prov'), password: 'provision-pass-1', name: 'P' });

async function customerWithCard(card = 'pm_card_visa'): Promise<string> {
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: card,
    invoice_settings: { default_payment_method: card },
  });
  return customer.id;
}

async function subscribe(
  userId: string | null,
  options: { lookupKey?: string; customer?: string; trialDays?: number; price?: string } = {},
): Promise<Stripe.Subscription> {
  return stripe.subscriptions.create({
    customer: options.customer ?? (await customerWithCard()),
    items: [{ price: options.price ?? prices[options.lookupKey ?? 'securevault_growth_monthly'] ?? '' }],
    ...(options.trialDays ? { trial_period_days: options.trialDays } : {}),
    metadata: userId ? { userId, appId: 'app_securevault' } : {},
  });
}

async function rowFor(userId: string, appId = 'app_securevault') {
  const rows = await hub.db
    .select()
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, appId)));
  return rows;
}

const provision = (id: string) => provisionSubscription(hub.db, stripe, { stripeSubscriptionId: id });

describe('provisionSubscription (re-reads Stripe, upserts one row per user and app)', () => {
  it('provisions an active growth subscription with its Stripe ids and period, then reports unchanged', async () => {
    const userId = await newUser();
    const sub = await subscribe(userId);
    const result = await provision(sub.id);
    expect(result.outcome).toBe('provisioned');
    const rows = await rowFor(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      plan: 'growth',
      status: 'active',
      stripeSubscriptionId: sub.id,
      stripeCustomerId: sub.customer,
      stripePriceId: prices.securevault_growth_monthly,
      trialEndsAt: null,
      cancelAtPeriodEnd: false,
      source: 'hub',
    });
    expect(rows[0]?.currentPeriodEnd?.getTime()).toBe((sub.items.data[0]?.current_period_end ?? 0) * 1000);

    const again = await provision(sub.id);
    expect(again.outcome).toBe('unchanged');
    expect((await rowFor(userId))[0]?.updatedAt).toEqual(rows[0]?.updatedAt);
  });

  it('writes a trial as active with trialEndsAt', async () => {
    const userId = await newUser();
    const sub = await subscribe(userId, { trialDays: 7 });
    expect(sub.status).toBe('trialing');
    await provision(sub.id);
    const [row] = await rowFor(userId);
    expect(row?.status).toBe('active');
    expect(row?.trialEndsAt?.getTime()).toBe((sub.trial_end ?? 0) * 1000);
  });

  it('follows a price change to pro, a scheduled cancellation, and an immediate cancel that no late call undoes', async () => {
    const userId = await newUser();
    const sub = await subscribe(userId);
    await provision(sub.id);
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
    });
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId))[0]).toMatchObject({
      plan: 'pro',
      stripePriceId: prices.securevault_pro_monthly,
    });

    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    await provision(sub.id);
    expect((await rowFor(userId))[0]).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });

    await stripe.subscriptions.cancel(sub.id);
    await provision(sub.id);
    expect((await rowFor(userId))[0]?.status).toBe('canceled');
    // A stale "updated" arriving now re-reads Stripe too: still canceled.
    expect((await provision(sub.id)).outcome).toBe('unchanged');
    expect((await rowFor(userId))[0]?.status).toBe('canceled');
  });

  it('reads Stripe holding no connection, and never lets an older read overwrite a newer one', async () => {
    const userId = await newUser();
    const sub = await subscribe(userId);
    await provision(sub.id);
    // A delivery whose Stripe answer (Growth) is held up on the way back, as on a slow network.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered = () => {};
    const readDone = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const slowStripe = Object.create(stripe) as Stripe;
    Object.defineProperty(slowStripe, 'subscriptions', {
      value: Object.assign(Object.create(stripe.subscriptions), {
        retrieve: async (...args: Parameters<Stripe['subscriptions']['retrieve']>) => {
          const answer = await stripe.subscriptions.retrieve(...args);
          answered();
          await held;
          return answer;
        },
      }),
    });
    const slow = provisionSubscription(hub.db, slowStripe, { stripeSubscriptionId: sub.id });
    await readDone;
    // Meanwhile the plan changes to Pro and a later delivery provisions it: the pool is free for it.
    expect(hub.pool.totalCount - hub.pool.idleCount).toBe(0);
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
    });
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    release();
    // The held-up read (Growth) arrives last and is refused: the row keeps Pro.
    expect(await slow).toMatchObject({ outcome: 'unchanged', subscription: { plan: 'pro' } });
    expect((await rowFor(userId))[0]).toMatchObject({ plan: 'pro' });
  });

  it("reads under the caller's ticket (the webhook's claim takes it), so a claim older than a written read changes nothing", async () => {
    const userId = await newUser();
    const sub = await subscribe(userId);
    await provision(sub.id);
    // A delivery claimed its event (and took its ticket) before the plan changed and another delivery wrote it.
    const { rows } = await hub.db.execute<{ ticket: string }>(
      sql`SELECT nextval('hub."StripeReadTicket"')::text AS ticket`,
    );
    const claimedEarlier = Number(rows[0]?.ticket);
    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    const late = await provisionSubscription(
      hub.db,
      stripe,
      { stripeSubscriptionId: sub.id },
      { readTicket: claimedEarlier },
    );
    expect(late).toMatchObject({ outcome: 'unchanged', reason: expect.stringMatching(/later read/) });
    expect((await rowFor(userId))[0]).toMatchObject({ cancelAtPeriodEnd: true });
    // Its own event (which changed it back) comes with a later ticket and is written.
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId))[0]).toMatchObject({ cancelAtPeriodEnd: false });
  });

  it('runs onWrite in the write’s transaction: the row and what the caller writes there commit together or not at all', async () => {
    const userId = await newUser();
    const sub = await subscribe(userId);
    await provision(sub.id);
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
    });
    const seen: string[] = [];
    await expect(
      provisionSubscription(
        hub.db,
        stripe,
        { stripeSubscriptionId: sub.id },
        {
          onWrite: async (tx, result) => {
            seen.push(result.outcome);
            // Inside the transaction the new plan is visible; the failure below takes it back.
            const [inside] = await tx
              .select({ plan: schema.subscription.plan })
              .from(schema.subscription)
              .where(eq(schema.subscription.stripeSubscriptionId, sub.id));
            seen.push(inside?.plan ?? 'none');
            throw new Error('the caller’s own write failed');
          },
        },
      ),
    ).rejects.toThrow(/caller’s own write failed/);
    expect(seen).toEqual(['provisioned', 'pro']);
    expect((await rowFor(userId))[0]).toMatchObject({ plan: 'growth' });
    // A decision that locks nothing (Stripe's answer alone decides) calls no onWrite.
    let called = false;
    const missing = await provisionSubscription(
      hub.db,
      stripe,
      { stripeSubscriptionId: 'sub_does_not_exist' },
      {
        onWrite: async () => {
          called = true;
        },
      },
    );
    expect(missing.outcome).toBe('skipped');
    expect(called).toBe(false);
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId))[0]).toMatchObject({ plan: 'pro' });
  });

  it('writes nothing for an incomplete subscription (no payment yet)', async () => {
    const userId = await newUser();
    const sub = await stripe.subscriptions.create({
      customer: await customerWithCard(),
      items: [{ price: prices.securevault_growth_monthly ?? '' }],
      payment_behavior: 'default_incomplete',
      metadata: { userId, appId: 'app_securevault' },
    });
    expect(sub.status).toBe('incomplete');
    const result = await provision(sub.id);
    expect(result).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('incomplete') });
    expect(await rowFor(userId)).toHaveLength(0);
  });

  it('skips with a reason for a price outside the catalog, missing metadata, or a subscription Stripe does not know', async () => {
    const userId = await newUser();
    const stray = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 100,
      recurring: { interval: 'month' },
      product_data: { name: 'Not ours' },
    });
    const offCatalog = await provision((await subscribe(userId, { price: stray.id })).id);
    expect(offCatalog).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('catalog') });

    const anonymous = await provision((await subscribe(null)).id);
    expect(anonymous).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('No user') });

    expect((await provision('sub_does_not_exist')).outcome).toBe('skipped');
    expect(await rowFor(userId)).toHaveLength(0);
  });

  it('provisions a legacy price (outside the catalog) as the plan hub."LegacyPrice" records, and skips it when unrecorded', async () => {
    const userId = await newUser();
    const legacy = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 999,
      recurring: { interval: 'month' },
      lookup_key: `svd_direct_pro_2019_${userId}`,
      product_data: { name: 'SecureVault Pro (2019)' },
    });
    const sub = await subscribe(userId, { price: legacy.id });
    const unrecorded = await provision(sub.id);
    expect(unrecorded).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('legacy price') });
    expect(await rowFor(userId)).toHaveLength(0);

    await hub.db
      .insert(schema.legacyPrice)
      .values({ stripePriceId: legacy.id, appId: 'app_securevault', plan: 'pro', monthlyPriceCents: 999 });
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId))[0]).toMatchObject({
      plan: 'pro',
      status: 'active',
      stripePriceId: legacy.id,
      stripeSubscriptionId: sub.id,
    });
    expect((await provision(sub.id)).outcome).toBe('unchanged');
    // The recorded app is checked against the metadata like a catalog price's.
    const crmUser = await newUser();
    const mislabeled = await subscribe(null, { price: legacy.id });
    await stripe.subscriptions.update(mislabeled.id, { metadata: { userId: crmUser, appId: 'app_crm' } });
    expect(await provision(mislabeled.id)).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('app_securevault'),
    });
  });

  it('a migrated customer’s grandfathered price ends when the subscription moves to another price (a plan change in Stripe’s portal), and not before', async () => {
    const userId = await newUser();
    const legacy = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 999,
      recurring: { interval: 'month' },
      product_data: { name: 'SecureVault Growth (2020)' },
    });
    await hub.db
      .insert(schema.legacyPrice)
      .values({ stripePriceId: legacy.id, appId: 'app_securevault', plan: 'growth', monthlyPriceCents: 999 });
    const sub = await subscribe(userId, { price: legacy.id });
    // The row the SVD migration writes: the legacy price and the price the customer keeps paying.
    await hub.db.insert(schema.subscription).values({
      id: crypto.randomUUID(),
      userId,
      appId: 'app_securevault',
      plan: 'growth',
      status: 'active',
      stripeSubscriptionId: sub.id,
      stripeCustomerId: String(sub.customer),
      stripePriceId: legacy.id,
      source: 'svd_direct_migration',
      migratedAt: new Date(),
      grandfatheredPriceCents: 999,
    });
    // Any event on the unchanged subscription (a renewal, a new card) keeps the grandfathered price.
    await stripe.subscriptions.update(sub.id, {
      metadata: { userId, appId: 'app_securevault', note: 'card' },
    });
    await provision(sub.id);
    expect((await rowFor(userId))[0]).toMatchObject({ plan: 'growth', grandfatheredPriceCents: 999 });

    // The customer switches to Pro in Stripe's customer portal: the subscription item gets the catalog price.
    const item = (await stripe.subscriptions.retrieve(sub.id)).items.data[0];
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: item?.id ?? '', price: prices.securevault_pro_monthly ?? '' }],
    });
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId))[0]).toMatchObject({
      plan: 'pro',
      stripePriceId: prices.securevault_pro_monthly,
      grandfatheredPriceCents: null,
    });
  });

  it('finds the user through hub."Customer" when the subscription carries no metadata', async () => {
    const userId = await newUser();
    const customer = await customerWithCard();
    await upsertCustomer(hub.db, { userId, stripeCustomerId: customer });
    const sub = await subscribe(null, { customer, lookupKey: 'crm_pro_monthly' });
    expect((await provision(sub.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId, 'app_crm'))[0]).toMatchObject({ plan: 'pro', status: 'active' });
  });

  it('keeps the first live subscription when a second one for the same app appears, and ignores its cancellation', async () => {
    const userId = await newUser();
    const customer = await customerWithCard();
    const first = await subscribe(userId, { customer });
    await provision(first.id);
    const second = await subscribe(userId, { customer, lookupKey: 'securevault_pro_monthly' });
    const result = await provision(second.id);
    expect(result).toMatchObject({ outcome: 'duplicate', keptStripeSubscriptionId: first.id });
    expect((await rowFor(userId))[0]).toMatchObject({ stripeSubscriptionId: first.id, plan: 'growth' });

    await stripe.subscriptions.cancel(second.id);
    expect((await provision(second.id)).outcome).toBe('skipped');
    expect((await rowFor(userId))[0]).toMatchObject({ stripeSubscriptionId: first.id, status: 'active' });
  });

  it('lets a new subscription take over once the old one has ended, even if its cancellation was never seen', async () => {
    const userId = await newUser();
    const customer = await customerWithCard();
    const old = await subscribe(userId, { customer });
    await provision(old.id);
    await stripe.subscriptions.cancel(old.id); // the Hub never hears of it
    const fresh = await subscribe(userId, { customer, lookupKey: 'securevault_pro_monthly' });
    expect((await provision(fresh.id)).outcome).toBe('provisioned');
    expect((await rowFor(userId))[0]).toMatchObject({
      stripeSubscriptionId: fresh.id,
      plan: 'pro',
      status: 'active',
    });
    // The old one's late events no longer touch the row.
    expect((await provision(old.id)).outcome).toBe('skipped');
    expect((await rowFor(userId))[0]?.stripeSubscriptionId).toBe(fresh.id);
  });
});

describe('upsertCustomer', () => {
  it('keeps one Stripe customer per user and refuses to move a customer to another user', async () => {
    const userId = await newUser();
    const first = await upsertCustomer(hub.db, { userId, stripeCustomerId: `cus_first_${userId}` });
    const again = await upsertCustomer(hub.db, { userId, stripeCustomerId: `cus_second_${userId}` });
    expect(again.stripeCustomerId).toBe(first.stripeCustomerId);
    const other = await newUser();
    await expect(
      upsertCustomer(hub.db, { userId: other, stripeCustomerId: first.stripeCustomerId }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
