import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBillingSubscriptions } from './list-billing-subscriptions';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;

beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});

afterAll(async () => {
  await hub.pool.end();
  await admin.pool.end();
});

const newUser = () =>
  seedUser(admin.db, { email: uniqueEmail('billing'), password: 'billing-pass-1', name: 'B' });

async function insert(userId: string, appId: string, columns: Record<string, unknown>) {
  const names = Object.keys(columns);
  await admin.pool.query(
    `INSERT INTO hub."Subscription" (id, "userId", "appId", ${names.map((n) => `"${n}"`).join(', ')})
     VALUES (gen_random_uuid(), $1, $2, ${names.map((_, i) => `$${i + 3}`).join(', ')})`,
    [userId, appId, ...Object.values(columns)],
  );
}

describe('listBillingSubscriptions', () => {
  it('is empty for a user without subscriptions', async () => {
    expect(await listBillingSubscriptions(hub.db, { userId: await newUser() })).toEqual([]);
  });

  it('lists every app of the user with catalog names, prices, dates and problems, problems first', async () => {
    const userId = await newUser();
    const other = await newUser();
    const renews = new Date('2027-01-15T10:00:00Z');
    const trialEnds = new Date('2026-12-01T10:00:00Z');
    await insert(userId, 'app_securevault', {
      plan: 'growth',
      status: 'active',
      stripeSubscriptionId: 'sub_growth',
      currentPeriodEnd: trialEnds,
      trialEndsAt: trialEnds,
    });
    await insert(userId, 'app_crm', {
      plan: 'pro',
      status: 'past_due',
      stripeSubscriptionId: 'sub_crm',
      currentPeriodEnd: renews,
    });
    await insert(userId, 'app_iq', { plan: 'pro', status: 'canceled', trialEndsAt: trialEnds });
    await insert(other, 'app_leads', { plan: 'pro', status: 'active' });

    const list = await listBillingSubscriptions(hub.db, { userId });
    expect(list.map((s) => s.appId)).toEqual(['app_crm', 'app_securevault', 'app_iq']);
    const [crm, vault, iq] = list;
    expect(crm).toMatchObject({
      productName: 'OMG-CRM',
      productSlug: 'crm',
      planName: 'Pro',
      status: 'past_due',
      priceCents: 1499,
      grandfathered: false,
      currentPeriodEnd: renews,
      trialEndsAt: null,
      paymentProblem: 'Payment failed — update your payment method.',
      managedByStripe: true,
      otherPlans: [{ id: 'starter', name: 'Starter', priceCents: 999 }],
    });
    expect(vault).toMatchObject({
      productName: 'SecureVault Docs',
      productSlug: 'securevault',
      plan: 'growth',
      planName: 'Growth',
      status: 'active',
      priceCents: 1499,
      trialEndsAt: trialEnds,
      cancelAtPeriodEnd: false,
      paymentProblem: null,
    });
    // Change plan offers the other self-serve plans only: never the current one, never "contact sales".
    expect(vault?.otherPlans.map((p) => p.id)).toEqual([
      'starter',
      'pro',
      'business_starter',
      'business_growth',
      'business_pro',
    ]);
    // A canceled subscription has no trial to end any more, and the Hub cannot manage a row without Stripe.
    expect(iq).toMatchObject({
      status: 'canceled',
      trialEndsAt: null,
      managedByStripe: false,
      priceCents: 1999,
    });
  });

  it('shows the grandfathered price of a migrated subscription instead of the catalog price', async () => {
    const userId = await newUser();
    await insert(userId, 'app_securevault', {
      plan: 'pro',
      status: 'active',
      source: 'migration',
      migratedAt: new Date(),
      grandfatheredPriceCents: 1900,
      cancelAtPeriodEnd: true,
    });
    const [vault] = await listBillingSubscriptions(hub.db, { userId });
    expect(vault).toMatchObject({
      planName: 'Pro',
      priceCents: 1900,
      grandfathered: true,
      cancelAtPeriodEnd: true,
    });
  });

  it('reads a row written without a status as active (the column default) and names plans the catalog does not sell', async () => {
    const userId = await newUser();
    await insert(userId, 'app_securevault', { plan: 'enterprise' });
    const [vault] = await listBillingSubscriptions(hub.db, { userId });
    expect(vault).toMatchObject({ status: 'active', planName: 'Enterprise', priceCents: null });
  });

  it('describes each subscription in the words SVD uses too (trial days left, a booked cancellation)', async () => {
    const userId = await newUser();
    const now = new Date('2026-12-01T12:00:00Z');
    await insert(userId, 'app_securevault', {
      plan: 'growth',
      status: 'active',
      trialEndsAt: new Date('2026-12-08T12:00:00Z'),
      currentPeriodEnd: new Date('2026-12-08T12:00:00Z'),
    });
    await insert(userId, 'app_crm', {
      plan: 'pro',
      status: 'active',
      cancelAtPeriodEnd: true,
      currentPeriodEnd: new Date('2027-01-01T12:00:00Z'),
    });
    const list = await listBillingSubscriptions(hub.db, { userId, now });
    expect(list.map((s) => [s.appId, s.state.kind, s.state.status])).toEqual([
      ['app_securevault', 'trial', 'Free trial, 7 days left'],
      ['app_crm', 'canceling', 'Cancels on Jan 1, 2027'],
    ]);
  });

  it('shows a downgrade scheduled for the end of the paid period', async () => {
    const userId = await newUser();
    const at = new Date('2027-01-10T00:00:00Z');
    await insert(userId, 'app_securevault', {
      plan: 'growth',
      status: 'active',
      scheduledPlan: 'starter',
      scheduledPlanAt: at,
    });
    const [vault] = await listBillingSubscriptions(hub.db, { userId });
    expect(vault).toMatchObject({ planName: 'Growth', scheduledChange: { planName: 'Starter', at } });
  });
});
