import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerSubscriptions } from './load-customer-subscriptions';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});
afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

async function insert(userId: string, appId: string, columns: Record<string, unknown>) {
  const names = Object.keys(columns);
  await admin.pool.query(
    `INSERT INTO hub."Subscription" (id, "userId", "appId", ${names.map((n) => `"${n}"`).join(', ')})
     VALUES (gen_random_uuid(), $1, $2, ${names.map((_, i) => `$${i + 3}`).join(', ')})`,
    [userId, appId, ...Object.values(columns)],
  );
}

describe('loadCustomerSubscriptions (issue 14)', () => {
  it('every app: plan, status, price (grandfathered as such), dates, scheduled change, Stripe ids linked', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('subs'),
      password: 'subs-pass-12',
      name: 'S',
    });
    const now = new Date('2026-12-02T12:00:00Z');
    await insert(userId, 'app_securevault', {
      plan: 'growth',
      status: 'active',
      grandfatheredPriceCents: 1200,
      source: 'migration',
      migratedAt: new Date('2026-11-01T00:00:00Z'),
      currentPeriodEnd: new Date('2027-01-03T00:00:00Z'),
      scheduledPlan: 'starter',
      scheduledPlanAt: new Date('2027-01-03T00:00:00Z'),
      stripeCustomerId: 'cus_subs1',
      stripeSubscriptionId: 'sub_subs1',
      stripePriceId: 'price_legacy_growth',
    });
    await insert(userId, 'app_crm', { plan: 'pro', status: 'past_due', cancelAtPeriodEnd: true });

    const [svd, crm] = await loadCustomerSubscriptions(hub.db, userId, { stripeTestMode: true, now });
    expect(svd).toMatchObject({
      appName: 'SecureVault Docs',
      planName: 'Growth',
      status: 'active',
      stateLabel: 'Growth — Active',
      priceCents: 1200,
      grandfathered: true,
      source: 'migration',
      scheduledChange: { plan: 'starter', planName: 'Starter' },
      stripeCustomer: { id: 'cus_subs1', url: 'https://dashboard.stripe.com/test/customers/cus_subs1' },
      stripeSubscription: {
        id: 'sub_subs1',
        url: 'https://dashboard.stripe.com/test/subscriptions/sub_subs1',
      },
      stripePrice: {
        id: 'price_legacy_growth',
        url: 'https://dashboard.stripe.com/test/prices/price_legacy_growth',
      },
    });
    expect(crm).toMatchObject({
      appId: 'app_crm',
      planName: 'Pro',
      status: 'past_due',
      stateLabel: 'Pro — Past due',
      grandfathered: false,
      cancelAtPeriodEnd: true,
      scheduledChange: null,
      stripeSubscription: null,
    });
    expect(crm?.priceCents).toBeGreaterThan(0);
  });

  it('links to the live dashboard on a live key, and is empty without subscriptions', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('live'),
      password: 'subs-pass-12',
      name: 'L',
    });
    expect(await loadCustomerSubscriptions(hub.db, userId, { stripeTestMode: false })).toEqual([]);
    await insert(userId, 'app_securevault', { plan: 'pro', stripeCustomerId: 'cus_live1' });
    const [row] = await loadCustomerSubscriptions(hub.db, userId, { stripeTestMode: false });
    expect(row?.stripeCustomer?.url).toBe('https://dashboard.stripe.com/customers/cus_live1');
  });
});
