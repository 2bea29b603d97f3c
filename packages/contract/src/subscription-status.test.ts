import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STATUSES } from './constants';
import {
  isEndedStripeStatus,
  isLiveHubStatus,
  isLiveStripeStatus,
  isSubscriptionStatus,
  LIVE_HUB_STATUSES,
} from './subscription-status';

describe('subscription status predicates', () => {
  it('treats active and past_due as live Hub statuses, canceled not', () => {
    expect(SUBSCRIPTION_STATUSES.filter((s) => isLiveHubStatus(s))).toEqual(['active', 'past_due']);
    expect(isLiveHubStatus('canceled')).toBe(false);
    expect(LIVE_HUB_STATUSES.every((s) => isSubscriptionStatus(s))).toBe(true);
  });

  it('never calls NULL, a missing value or an unknown string live', () => {
    for (const status of [null, undefined, '', 'ACTIVE', ' active', 'trialing', 'unpaid']) {
      expect(isLiveHubStatus(status)).toBe(false);
    }
    for (const status of [null, undefined, '', 'ACTIVE', 'canceled', 'incomplete']) {
      expect(isLiveStripeStatus(status)).toBe(false);
    }
  });

  it('counts a Stripe trial and unpaid as live next to active and past_due, nothing that ended or never started', () => {
    expect(['active', 'trialing', 'past_due', 'unpaid'].every((s) => isLiveStripeStatus(s))).toBe(true);
    for (const status of ['canceled', 'incomplete', 'incomplete_expired', 'paused']) {
      expect(isLiveStripeStatus(status)).toBe(false);
    }
  });

  it('knows exactly the three statuses ever written', () => {
    expect(SUBSCRIPTION_STATUSES.every((s) => isSubscriptionStatus(s))).toBe(true);
    for (const status of [null, 42, 'trialing', 'Active']) expect(isSubscriptionStatus(status)).toBe(false);
  });

  it('calls canceled and incomplete_expired ended in Stripe, and nothing live or unknown', () => {
    expect(['canceled', 'incomplete_expired'].every((s) => isEndedStripeStatus(s))).toBe(true);
    for (const status of [
      null,
      undefined,
      '',
      'active',
      'trialing',
      'past_due',
      'unpaid',
      'incomplete',
      'paused',
    ]) {
      expect(isEndedStripeStatus(status)).toBe(false);
    }
  });
});
