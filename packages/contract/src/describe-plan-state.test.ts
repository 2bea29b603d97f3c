import { describe, expect, it } from 'vitest';
import { describePlanState, type TPlanStateSubscription } from './describe-plan-state';
import { CHECKOUT_TRIAL_DAYS, NO_SUBSCRIPTION_TRIAL_DAYS } from './trials';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const svd = (subscription: TPlanStateSubscription | null, freeTrialStartedAt?: Date | null) =>
  describePlanState({ appId: 'app_securevault', subscription, freeTrialStartedAt, now });
const row = (over: Partial<TPlanStateSubscription> = {}): TPlanStateSubscription => ({
  plan: 'growth',
  status: 'active',
  trialEndsAt: null,
  currentPeriodEnd: new Date('2027-01-01T12:00:00Z'),
  cancelAtPeriodEnd: false,
  ...over,
});

describe('describePlanState: the free trial without a subscription (SVD)', () => {
  it('counts 14 days from first use', () => {
    expect(NO_SUBSCRIPTION_TRIAL_DAYS).toBe(14);
    expect(svd(null, now)).toEqual({
      kind: 'trial',
      planName: null,
      status: 'Free trial, 14 days left',
      label: 'Free trial, 14 days left',
      daysLeft: 14,
      endsAt: at(14 * DAY),
      live: true,
    });
    expect(svd(null, at(-5 * DAY - 1))).toMatchObject({ label: 'Free trial, 9 days left', daysLeft: 9 });
  });

  it('says "1 day left" on the last day, up to its last millisecond', () => {
    expect(svd(null, at(-13 * DAY))).toMatchObject({ label: 'Free trial, 1 day left', daysLeft: 1 });
    expect(svd(null, at(-14 * DAY + 1))).toMatchObject({ label: 'Free trial, 1 day left', daysLeft: 1 });
  });

  it('has ended at the instant the 14 days are over, and after', () => {
    for (const started of [at(-14 * DAY), at(-40 * DAY)]) {
      expect(svd(null, started)).toMatchObject({
        kind: 'trial_ended',
        label: 'Free trial ended',
        daysLeft: 0,
        live: false,
      });
    }
  });

  it('names the trial without counting it where first use is not known (the Hub)', () => {
    expect(svd(null)).toMatchObject({ kind: 'trial', label: 'Free trial', daysLeft: null, endsAt: null });
    expect(svd(null, null)).toMatchObject({ kind: 'trial', label: 'Free trial' });
  });

  it('is "Not subscribed" for an app without a free trial', () => {
    for (const appId of ['app_crm', 'app_iq', 'app_leads']) {
      expect(describePlanState({ appId, subscription: null, freeTrialStartedAt: now, now })).toMatchObject({
        kind: 'not_subscribed',
        label: 'Not subscribed',
        planName: null,
        live: false,
      });
    }
  });

  it('calls SVD’s trial plan given by SQL a free trial too', () => {
    expect(svd(row({ plan: 'trial', currentPeriodEnd: null }))).toMatchObject({
      kind: 'trial',
      label: 'Free trial',
      planName: null,
    });
    expect(svd(row({ plan: 'trial', trialEndsAt: at(3 * DAY) }))).toMatchObject({
      label: 'Free trial, 3 days left',
    });
  });
});

describe('describePlanState: a checkout’s free trial on a paid plan', () => {
  it('uses the same words as the free trial, with the plan', () => {
    const trialEndsAt = at(CHECKOUT_TRIAL_DAYS * DAY);
    expect(svd(row({ trialEndsAt, currentPeriodEnd: trialEndsAt }))).toEqual({
      kind: 'trial',
      planName: 'Growth',
      status: 'Free trial, 7 days left',
      label: 'Growth — Free trial, 7 days left',
      daysLeft: 7,
      endsAt: trialEndsAt,
      live: true,
    });
  });

  it('counts its last day and is Active once it is over (Stripe charged, or the webhook is on its way)', () => {
    expect(svd(row({ trialEndsAt: at(1) }))).toMatchObject({ label: 'Growth — Free trial, 1 day left' });
    expect(svd(row({ trialEndsAt: now }))).toMatchObject({ kind: 'active', label: 'Growth — Active' });
  });
});

describe('describePlanState: paid plans', () => {
  it('is Active with the catalog’s plan name, in every app', () => {
    expect(svd(row({ plan: 'business_growth' }))).toMatchObject({
      kind: 'active',
      label: 'Business Growth — Active',
      status: 'Active',
      live: true,
    });
    expect(describePlanState({ appId: 'app_crm', subscription: row({ plan: 'pro' }), now })).toMatchObject({
      label: 'Pro — Active',
    });
  });

  it('says when a cancellation booked for the period’s end takes effect; access continues until then', () => {
    expect(svd(row({ cancelAtPeriodEnd: true }))).toMatchObject({
      kind: 'canceling',
      status: 'Cancels on Jan 1, 2027',
      label: 'Growth — Cancels on Jan 1, 2027',
      endsAt: new Date('2027-01-01T12:00:00Z'),
      live: true,
    });
    // Canceled during a checkout trial: it ends with the trial, and nothing is charged.
    const trialEndsAt = new Date('2026-12-08T12:00:00Z');
    expect(svd(row({ cancelAtPeriodEnd: true, trialEndsAt, currentPeriodEnd: null }))).toMatchObject({
      kind: 'canceling',
      label: 'Growth — Cancels on Dec 8, 2026',
    });
  });

  it('puts a failed payment first', () => {
    expect(svd(row({ status: 'past_due', cancelAtPeriodEnd: true, trialEndsAt: at(DAY) }))).toMatchObject({
      kind: 'past_due',
      label: 'Growth — Past due',
      live: true,
    });
  });

  it('is Canceled, without the plan that ended, for any status that grants nothing', () => {
    for (const status of ['canceled', 'incomplete', 'whatever']) {
      expect(svd(row({ status, trialEndsAt: at(DAY) }))).toMatchObject({
        kind: 'canceled',
        label: 'Canceled',
        planName: 'Growth',
        live: false,
      });
    }
  });

  it('names a plan the catalog does not know from its id', () => {
    expect(svd(row({ plan: 'legacy_plus' }))).toMatchObject({ label: 'Legacy Plus — Active' });
  });
});
