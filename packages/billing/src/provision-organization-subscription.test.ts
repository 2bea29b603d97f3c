import { randomUUID } from 'node:crypto';
import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { provisionAndResolve } from './provision-and-resolve';
import { provisionSubscription } from './provision-subscription';
import { reconcileBilling } from './reconcile-billing';
import { syncStripeCatalog } from './sync-catalog';
import { upsertCustomer } from './upsert-customer';

/** Business subscriptions (issue 15): an organization's row, converging on Stripe exactly as a person's does. */

let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
const prices: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_org_provision', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  for (const key of [
    'securevault_business_starter_monthly',
    'securevault_business_growth_monthly',
    'securevault_business_starter_seat_monthly',
    'securevault_growth_monthly',
  ]) {
    const [price] = (await stripe.prices.list({ lookup_keys: [key] })).data;
    if (!price) throw new Error(`catalog price ${key} missing`);
    prices[key] = price.id;
  }
});

afterAll(async () => {
  await hub.pool.end();
  await emulator.close();
});

async function newOrganization(): Promise<string> {
  const id = randomUUID();
  await hub.db.insert(schema.organization).values({
    id,
    name: `Acme ${id.slice(0, 6)}`,
    slug: `acme-${id}`,
    billingEmail: uniqueEmail('billing'),
  });
  return id;
}

async function customerWithCard(): Promise<string> {
  const customer = await stripe.customers.create({
    email: uniqueEmail('org'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  return customer.id;
}

const subscribeOrg = async (
  organizationId: string,
  options: { customer?: string; lookupKey?: string; metadata?: boolean } = {},
) =>
  stripe.subscriptions.create({
    customer: options.customer ?? (await customerWithCard()),
    items: [{ price: prices[options.lookupKey ?? 'securevault_business_starter_monthly'] ?? '' }],
    metadata:
      options.metadata === false ? {} : { organizationId, appId: 'app_securevault', purchasedBy: 'someone' },
  });

const rowsOf = (organizationId: string) =>
  hub.db
    .select()
    .from(schema.subscription)
    .where(
      and(
        eq(schema.subscription.organizationId, organizationId),
        eq(schema.subscription.appId, 'app_securevault'),
      ),
    );

describe('provisioning an organization’s subscription (issue 15)', () => {
  it('writes the organization’s row (no userId), follows the per-seat item’s quantity, and leaves the buyer’s own row alone', async () => {
    const organizationId = await newOrganization();
    const buyer = await seedUser(hub.db, {
      email: uniqueEmail('buyer'),
      password: 'buyer-pass-123',
      name: 'B',
    });
    // The buyer's personal plan, written by the seeds' statement, unchanged by the organization's purchase.
    await hub.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", "plan", "status")
       VALUES (gen_random_uuid(), $1, 'app_securevault', 'pro', 'active')
       ON CONFLICT ("userId", "appId") DO UPDATE SET "plan" = 'pro', "status" = 'active'`,
      [buyer],
    );
    const sub = await subscribeOrg(organizationId);
    expect((await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id })).outcome).toBe(
      'provisioned',
    );
    const [row] = await rowsOf(organizationId);
    expect(row).toMatchObject({
      userId: null,
      organizationId,
      plan: 'business_starter',
      status: 'active',
      stripeSubscriptionId: sub.id,
      extraSeats: 0,
    });

    // Two extra seats bought: a second item on the subscription; provisioning reads its quantity from Stripe.
    await stripe.subscriptions.update(sub.id, {
      items: [{ price: prices.securevault_business_starter_seat_monthly ?? '', quantity: 2 }],
      proration_behavior: 'always_invoice',
    });
    expect((await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id })).outcome).toBe(
      'provisioned',
    );
    expect((await rowsOf(organizationId))[0]).toMatchObject({ plan: 'business_starter', extraSeats: 2 });

    const personal = await hub.db
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, buyer));
    expect(personal).toEqual([expect.objectContaining({ plan: 'pro', organizationId: null })]);
  });

  it('attributes a subscription without metadata by the organization’s Stripe customer, and never resurrects a canceled one', async () => {
    const organizationId = await newOrganization();
    const customer = await customerWithCard();
    await upsertCustomer(hub.db, { organizationId, stripeCustomerId: customer });
    const sub = await subscribeOrg(organizationId, { customer, metadata: false });
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id });
    expect(await rowsOf(organizationId)).toEqual([expect.objectContaining({ plan: 'business_starter' })]);

    await stripe.subscriptions.cancel(sub.id);
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id });
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id });
    expect(await rowsOf(organizationId)).toEqual([expect.objectContaining({ status: 'canceled' })]);
  });

  it('cancels and refunds a second live subscription of the same organization and app, keeping the first', async () => {
    const organizationId = await newOrganization();
    const first = await subscribeOrg(organizationId);
    await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: first.id });
    const second = await subscribeOrg(organizationId, { lookupKey: 'securevault_business_growth_monthly' });

    const result = await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: second.id });
    expect(result.outcome).toBe('duplicate_resolved');
    expect(result.duplicate).toMatchObject({
      organizationId,
      userId: 'someone',
      keptStripeSubscriptionId: first.id,
      duplicateStripeSubscriptionId: second.id,
      canceled: true,
      refundedCents: 5999,
    });
    expect((await stripe.subscriptions.retrieve(second.id)).status).toBe('canceled');
    expect(await rowsOf(organizationId)).toEqual([
      expect.objectContaining({ stripeSubscriptionId: first.id, plan: 'business_starter', status: 'active' }),
    ]);
    // A replay changes nothing and refunds nothing more.
    const again = await provisionAndResolve(hub.db, stripe, { stripeSubscriptionId: second.id });
    expect(again.duplicate?.refundedCents ?? 0).toBe(0);
  });

  it('skips a subscription naming an organization that does not exist, and the database refuses a row that is both a user’s and an organization’s', async () => {
    const sub = await subscribeOrg(randomUUID());
    const result = await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: sub.id });
    expect(result).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('does not exist') });

    const organizationId = await newOrganization();
    const user = await seedUser(hub.db, {
      email: uniqueEmail('both'),
      password: 'both-pass-1234',
      name: 'X',
    });
    await expect(
      hub.pool.query(
        `INSERT INTO hub."Subscription" (id, "userId", "organizationId", "appId", plan) VALUES (gen_random_uuid(), $1, $2, 'app_crm', 'pro')`,
        [user, organizationId],
      ),
    ).rejects.toThrow(/Subscription_owner_check/);
    // One subscription per organization and app, as per person.
    const insertOrgRow = () =>
      hub.pool.query(
        `INSERT INTO hub."Subscription" (id, "organizationId", "appId", plan) VALUES (gen_random_uuid(), $1, 'app_crm', 'pro')`,
        [organizationId],
      );
    await insertOrgRow();
    await expect(insertOrgRow()).rejects.toThrow(/Subscription_organizationId_appId_key/);
  });

  it('reconciliation lists an organization’s two live subscriptions to one app, and repairs one it never heard of', async () => {
    const doubled = await newOrganization();
    const doubledCustomer = await customerWithCard();
    await upsertCustomer(hub.db, { organizationId: doubled, stripeCustomerId: doubledCustomer });
    const first = await subscribeOrg(doubled, { customer: doubledCustomer, metadata: false });
    const second = await subscribeOrg(doubled, { customer: doubledCustomer, metadata: false });

    const missed = await newOrganization();
    const missedCustomer = await customerWithCard();
    await upsertCustomer(hub.db, { organizationId: missed, stripeCustomerId: missedCustomer });
    const unheard = await subscribeOrg(missed, { customer: missedCustomer, metadata: false });

    const report = await reconcileBilling(hub.db, stripe, { apply: true });
    const group = report.duplicates.find((d) => d.organizationId === doubled);
    expect(group).toMatchObject({ userId: null, appId: 'app_securevault' });
    expect(group?.subscriptions.map((x) => x.stripeSubscriptionId).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect(report.missing.find((m) => m.organizationId === missed)).toMatchObject({
      userId: null,
      stripeSubscriptionId: unheard.id,
      repaired: true,
    });
    expect(await rowsOf(missed)).toEqual([expect.objectContaining({ stripeSubscriptionId: unheard.id })]);
    expect(await rowsOf(doubled)).toEqual([]);
  });
});
