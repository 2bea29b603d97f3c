import { describe, expect, it } from 'vitest';
import { SVD_PLAN_IDS } from '../constants';
import { PLAN_LIMITS } from '../plan-limits';
import { resolveEntitlement, type TEntitlementSubscription } from './resolve-entitlement';
import { usagePeriodStart } from './usage-period';

const now = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const row = (
  plan: string,
  status: string,
  extra: Partial<TEntitlementSubscription> = {},
): TEntitlementSubscription => ({
  plan,
  status,
  trialEndsAt: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  ...extra,
});

describe('plan limits (SPEC §3)', () => {
  it('has all eight plans with the published limits', () => {
    const GB = 1024 ** 3;
    const MB = 1024 ** 2;
    expect(Object.keys(PLAN_LIMITS).sort()).toEqual([...SVD_PLAN_IDS].sort());
    expect(PLAN_LIMITS.trial).toMatchObject({
      storageBytes: GB,
      processingUnitsPerMonth: 50,
      maxFileBytes: 25 * MB,
    });
    expect(PLAN_LIMITS.growth).toMatchObject({
      storageBytes: 75 * GB,
      processingUnitsPerMonth: 600,
      maxFileBytes: 250 * MB,
    });
    expect(PLAN_LIMITS.pro).toMatchObject({
      storageBytes: 200 * GB,
      processingUnitsPerMonth: 1350,
      maxFileBytes: GB,
    });
    expect(PLAN_LIMITS.enterprise).toMatchObject({
      storageBytes: 10 * 1024 * GB,
      processingUnitsPerMonth: 40_000,
    });
  });
});

describe('resolveEntitlement', () => {
  it('gives a user without a subscription the 14-day trial from their first use', () => {
    const e = resolveEntitlement({
      subscription: null,
      profileCreatedAt: new Date(now.getTime() - 5 * DAY),
      now,
    });
    expect(e).toMatchObject({
      state: 'trial',
      plan: 'trial',
      readOnly: false,
      trialDaysLeft: 9,
      label: 'Free trial, 9 days left',
    });
    expect(e.limits).toBe(PLAN_LIMITS.trial);
  });

  it('makes the vault read-only once the trial has ended', () => {
    const e = resolveEntitlement({
      subscription: null,
      profileCreatedAt: new Date(now.getTime() - 15 * DAY),
      now,
    });
    expect(e).toMatchObject({ state: 'trial_ended', readOnly: true, label: 'Free trial ended' });
  });

  it.each(SVD_PLAN_IDS.filter((p) => p !== 'trial'))(
    'grants %s its own limits when active or past due',
    (plan) => {
      const active = resolveEntitlement({ subscription: row(plan, 'active'), profileCreatedAt: now, now });
      expect(active).toMatchObject({
        state: 'active',
        plan,
        readOnly: false,
        label: `${PLAN_LIMITS[plan].name} — Active`,
      });
      expect(active.limits).toBe(PLAN_LIMITS[plan]);
      const pastDue = resolveEntitlement({ subscription: row(plan, 'past_due'), profileCreatedAt: now, now });
      expect(pastDue).toMatchObject({
        state: 'past_due',
        readOnly: false,
        label: `${PLAN_LIMITS[plan].name} — Past due`,
      });
      const canceled = resolveEntitlement({
        subscription: row(plan, 'canceled'),
        profileCreatedAt: now,
        now,
      });
      expect(canceled).toMatchObject({ state: 'canceled', readOnly: true, label: 'Canceled' });
    },
  );

  it('shows a Stripe trial on a paid plan with its days left', () => {
    const e = resolveEntitlement({
      subscription: row('growth', 'active', { trialEndsAt: new Date(now.getTime() + 3 * DAY) }),
      profileCreatedAt: now,
      now,
    });
    expect(e).toMatchObject({
      state: 'active',
      trialDaysLeft: 3,
      label: 'Growth — Free trial, 3 days left',
    });
  });

  it('keeps a plan canceled at the period’s end (in Stripe’s portal) in force, and says until when', () => {
    const e = resolveEntitlement({
      subscription: row('growth', 'active', {
        cancelAtPeriodEnd: true,
        currentPeriodEnd: new Date('2027-01-01T12:00:00Z'),
      }),
      profileCreatedAt: now,
      now,
    });
    expect(e).toMatchObject({
      state: 'active',
      plan: 'growth',
      readOnly: false,
      label: 'Growth — Cancels on Jan 1, 2027',
      cancelsAt: new Date('2027-01-01T12:00:00Z'),
    });
    const renewing = resolveEntitlement({
      subscription: row('growth', 'active'),
      profileCreatedAt: now,
      now,
    });
    expect(renewing.cancelsAt).toBeNull();
  });

  it('gives no paid access for a plan SVD does not know', () => {
    const e = resolveEntitlement({ subscription: row('platinum', 'active'), profileCreatedAt: now, now });
    expect(e).toMatchObject({ state: 'canceled', readOnly: true });
  });

  it('offers the next plan up, and none above self-serve', () => {
    expect(
      resolveEntitlement({ subscription: row('growth', 'active'), profileCreatedAt: now, now }).nextPlan,
    ).toBe('pro');
    expect(
      resolveEntitlement({ subscription: row('enterprise', 'active'), profileCreatedAt: now, now }).nextPlan,
    ).toBeNull();
  });
});

describe('scheduled downgrades', () => {
  it('shows a downgrade the Hub scheduled, with the coming plan’s limits, until it happens', () => {
    const at = new Date(now.getTime() + 10 * DAY);
    const e = resolveEntitlement({
      subscription: row('growth', 'active', { scheduledPlan: 'starter', scheduledPlanAt: at }),
      profileCreatedAt: now,
      now,
    });
    expect(e.limits).toBe(PLAN_LIMITS.growth);
    expect(e.scheduled).toEqual({ plan: 'starter', limits: PLAN_LIMITS.starter, at });
    const later = resolveEntitlement({
      subscription: row('growth', 'active', { scheduledPlan: 'starter', scheduledPlanAt: at }),
      profileCreatedAt: now,
      now: new Date(at.getTime() + 1),
    });
    expect(later.scheduled).toBeNull();
  });
});

describe('usagePeriodStart', () => {
  it('uses the calendar month on the trial', () => {
    expect(usagePeriodStart({ plan: 'trial', currentPeriodEnd: null }, now).toISOString()).toBe(
      '2026-11-01T00:00:00.000Z',
    );
  });

  it('uses the billing period when the Hub knows it', () => {
    const start = usagePeriodStart(
      { plan: 'growth', currentPeriodEnd: new Date('2026-12-10T08:00:00Z') },
      now,
    );
    expect(start.toISOString()).toBe('2026-11-10T08:00:00.000Z');
  });

  it('rolls forward when the recorded period end is already past', () => {
    const start = usagePeriodStart({ plan: 'pro', currentPeriodEnd: new Date('2026-10-05T00:00:00Z') }, now);
    expect(start.toISOString()).toBe('2026-11-05T00:00:00.000Z');
  });
});

describe('comps (issue 14): the better of the subscription and a running comp', () => {
  const endsAt = new Date(now.getTime() + 30 * DAY);
  const profileCreatedAt = new Date(now.getTime() - 60 * DAY);
  const comp = { plan: 'pro', endsAt };

  it('gives a customer whose trial ended the comped plan, worded as their own plan', () => {
    const e = resolveEntitlement({ subscription: null, comp, profileCreatedAt, now });
    expect(e).toMatchObject({
      state: 'active',
      plan: 'pro',
      limits: PLAN_LIMITS.pro,
      readOnly: false,
      label: 'Pro — Active',
      currentPeriodEnd: endsAt,
      comped: { plan: 'pro', endsAt },
    });
  });

  it('lifts a lower paid plan, and gives a canceled one access again', () => {
    for (const subscription of [row('starter', 'active'), row('growth', 'canceled')]) {
      const e = resolveEntitlement({ subscription, comp, profileCreatedAt, now });
      expect(e).toMatchObject({ plan: 'pro', state: 'active', comped: { plan: 'pro' } });
    }
  });

  it('never makes things worse: an equal or higher paid plan keeps deciding', () => {
    for (const plan of ['pro', 'business_starter']) {
      const e = resolveEntitlement({ subscription: row(plan, 'active'), comp, profileCreatedAt, now });
      expect(e).toMatchObject({ plan, comped: null });
    }
    const growth = resolveEntitlement({
      subscription: row('pro', 'active'),
      comp: { plan: 'growth', endsAt },
      profileCreatedAt,
      now,
    });
    expect(growth).toMatchObject({ plan: 'pro', comped: null });
  });

  it('ends by itself at its end: from that instant the subscription or the trial decides', () => {
    const ended = { plan: 'pro', endsAt: now };
    expect(resolveEntitlement({ subscription: null, comp: ended, profileCreatedAt, now })).toMatchObject({
      state: 'trial_ended',
      plan: 'trial',
      readOnly: true,
      comped: null,
    });
    const justBefore = new Date(now.getTime() - 1);
    expect(
      resolveEntitlement({ subscription: null, comp: ended, profileCreatedAt, now: justBefore }).plan,
    ).toBe('pro');
    expect(
      resolveEntitlement({ subscription: row('starter', 'active'), comp: ended, profileCreatedAt, now }).plan,
    ).toBe('starter');
  });

  it('ignores a comp of a plan SVD does not know', () => {
    const e = resolveEntitlement({
      subscription: row('starter', 'active'),
      comp: { plan: 'platinum', endsAt },
      profileCreatedAt,
      now,
    });
    expect(e).toMatchObject({ plan: 'starter', comped: null });
  });
});
