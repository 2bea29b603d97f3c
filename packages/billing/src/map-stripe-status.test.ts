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
});
