import { isLiveHubStatus, isLiveStripeStatus } from '@omg/contract';
import { describe, expect, it } from 'vitest';
import { mapStripeStatus } from './map-stripe-status';

describe('mapStripeStatus (SPEC §2)', () => {
  it.each([
    ['trialing', { status: 'active', trialing: true }],
    ['active', { status: 'active', trialing: false }],
    ['past_due', { status: 'past_due', trialing: false }],
    ['unpaid', { status: 'past_due', trialing: false }],
    ['canceled', { status: 'canceled', trialing: false }],
    ['incomplete_expired', { status: 'canceled', trialing: false }],
    ['paused', { status: 'canceled', trialing: false }],
  ] as const)('maps %s', (stripeStatus, expected) => {
    expect(mapStripeStatus(stripeStatus)).toEqual(expected);
  });

  it('writes no entitlement for incomplete (no payment yet)', () => {
    expect(mapStripeStatus('incomplete')).toBeNull();
  });

  it('writes no entitlement for a status this code does not know', () => {
    expect(mapStripeStatus('something_new')).toBeNull();
  });

  it('agrees with isLiveStripeStatus: a Stripe status is live exactly when it maps to a live Hub status', () => {
    const statuses = [
      'trialing',
      'active',
      'past_due',
      'unpaid',
      'canceled',
      'incomplete',
      'incomplete_expired',
      'paused',
    ];
    for (const status of statuses) {
      expect(isLiveStripeStatus(status), status).toBe(isLiveHubStatus(mapStripeStatus(status)?.status));
    }
  });
});
