import { resolveEntitlement } from '@omg/contract';
import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerEntitlement } from './load-customer-entitlement';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});
afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

const now = new Date('2026-12-02T12:00:00Z');
const DAY = 86_400_000;

async function customer(options: { svdFirstUsedAt?: Date; subscription?: Record<string, unknown> } = {}) {
  const email = uniqueEmail('entitled');
  const userId = await seedUser(admin.db, { email, password: 'entitled-pass-1', name: 'E' });
  if (options.svdFirstUsedAt) {
    await admin.pool.query(
      `INSERT INTO securevault."UserProfile" ("userId", email, "createdAt") VALUES ($1, $2, $3)`,
      [userId, email, options.svdFirstUsedAt],
    );
  }
  if (options.subscription) {
    const columns = { stripeCustomerId: `cus_${userId.slice(0, 8)}`, ...options.subscription };
    const names = Object.keys(columns);
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", ${names.map((n) => `"${n}"`).join(', ')})
       VALUES (gen_random_uuid(), $1, 'app_securevault', ${names.map((_, i) => `$${i + 2}`).join(', ')})`,
      [userId, ...Object.values(columns)],
    );
  }
  return userId;
}

async function billingEvent(type: string, customer: string, at: Date) {
  const id = `evt_${Math.random().toString(36).slice(2)}`;
  await admin.pool.query(
    `INSERT INTO hub."BillingEvent" (id, type, "stripeCreatedAt", payload) VALUES ($1, $2, $3, $4)`,
    [id, type, at, { id, type, data: { object: { object: 'invoice', customer } } }],
  );
}

describe('loadCustomerEntitlement: what SVD computes, with the reason in words (issue 14)', () => {
  it('a free trial counts 14 days from the first use of SVD', async () => {
    const userId = await customer({ svdFirstUsedAt: new Date(now.getTime() - 5 * DAY) });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement).toMatchObject({
      state: 'trial',
      plan: 'trial',
      readOnly: false,
      trialDaysLeft: 9,
    });
    expect(result.reason).toBe('Free trial since Nov 27, 2026, no paid plan: 9 days left, ends Dec 11, 2026');
  });

  it('a customer who never opened SVD has the whole trial ahead', async () => {
    const result = await loadCustomerEntitlement(hub.db, await customer(), now);
    expect(result.entitlement.state).toBe('trial');
    expect(result.svdFirstUsedAt).toBeNull();
    expect(result.reason).toMatch(/has not opened SecureVault Docs yet/);
  });

  it('a trial that ended without a paid plan is read-only', async () => {
    const userId = await customer({ svdFirstUsedAt: new Date('2026-11-17T12:00:00Z') });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement).toMatchObject({ state: 'trial_ended', readOnly: true });
    expect(result.reason).toBe('Read-only: trial ended Dec 1, 2026, no paid plan');
  });

  it('an active plan is paid through the period end, and equals resolveEntitlement on the same row', async () => {
    const row = {
      plan: 'growth',
      status: 'active',
      currentPeriodEnd: new Date('2027-01-03T09:00:00Z'),
      trialEndsAt: null,
      cancelAtPeriodEnd: false,
    };
    const first = new Date('2026-10-01T00:00:00Z');
    const userId = await customer({ svdFirstUsedAt: first, subscription: row });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.reason).toBe('Growth, active, paid through Jan 3, 2027');
    expect(result.entitlement).toEqual(
      resolveEntitlement({
        subscription: { ...row, scheduledPlan: null, scheduledPlanAt: null },
        profileCreatedAt: first,
        now,
      }),
    );
  });

  it("a checkout's free trial on a paid plan says when paying starts", async () => {
    const trialEndsAt = new Date('2026-12-08T12:00:00Z');
    const userId = await customer({
      subscription: { plan: 'pro', status: 'active', trialEndsAt, currentPeriodEnd: trialEndsAt },
    });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement).toMatchObject({ state: 'active', plan: 'pro', trialDaysLeft: 6 });
    expect(result.reason).toBe('Pro, free trial from checkout until Dec 8, 2026, then paid');
  });

  it('past due: since the first failure after the last payment, inside the grace period', async () => {
    const userId = await customer({
      subscription: {
        plan: 'growth',
        status: 'past_due',
        currentPeriodEnd: new Date('2026-12-20T00:00:00Z'),
      },
    });
    const cus = `cus_${userId.slice(0, 8)}`;
    await billingEvent('invoice.payment_failed', cus, new Date('2026-10-20T00:00:00Z'));
    await billingEvent('invoice.paid', cus, new Date('2026-10-21T00:00:00Z'));
    await billingEvent('invoice.payment_failed', cus, new Date('2026-11-20T08:00:00Z'));
    await billingEvent('invoice.payment_failed', cus, new Date('2026-11-23T08:00:00Z'));
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement).toMatchObject({ state: 'past_due', readOnly: false, plan: 'growth' });
    expect(result.pastDueSince?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(result.reason).toBe(
      'Growth, past due since Nov 20, 2026, inside the grace period: access continues while Stripe retries the payment',
    );
  });

  it('canceled: read-only, no paid plan', async () => {
    const userId = await customer({ subscription: { plan: 'growth', status: 'canceled' } });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement).toMatchObject({ state: 'canceled', readOnly: true });
    expect(result.reason).toBe('Read-only: Growth subscription canceled, no paid plan');
  });

  it('canceled at period end: access until then', async () => {
    const end = new Date('2026-12-15T00:00:00Z');
    const userId = await customer({
      subscription: { plan: 'starter', status: 'active', currentPeriodEnd: end, cancelAtPeriodEnd: true },
    });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement.cancelsAt?.toISOString()).toBe(end.toISOString());
    expect(result.reason).toBe('Starter, canceled at period end: access until Dec 15, 2026, then read-only');
  });

  it('a scheduled downgrade is named with its day', async () => {
    const at = new Date('2027-01-03T09:00:00Z');
    const userId = await customer({
      subscription: {
        plan: 'pro',
        status: 'active',
        currentPeriodEnd: at,
        scheduledPlan: 'starter',
        scheduledPlanAt: at,
      },
    });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement.scheduled).toMatchObject({ plan: 'starter' });
    expect(result.reason).toBe('Pro, active, paid through Jan 3, 2027; moves to Starter on Jan 3, 2027');
  });

  it('a plan SVD does not know grants nothing', async () => {
    const userId = await customer({ subscription: { plan: 'platinum', status: 'active' } });
    const result = await loadCustomerEntitlement(hub.db, userId, now);
    expect(result.entitlement).toMatchObject({ state: 'canceled', readOnly: true });
    expect(result.reason).toBe('Read-only: plan "platinum" is not one SVD knows, so it grants nothing');
  });
});
