import type { TSubscriptionStatus } from '@omg/contract';
import type Stripe from 'stripe';

export interface TMappedStatus {
  status: TSubscriptionStatus;
  /** Trialing is active access; the trial's end is what tells the apps it is a trial. */
  trialing: boolean;
}

/**
 * SPEC §2: the only statuses the apps understand. `incomplete` (first payment not made yet) maps to null so no
 * entitlement is written before money arrives. The switch is exhaustive over the SDK's statuses; an unknown
 * future status also writes nothing rather than granting access by accident.
 */
export function mapStripeStatus(status: Stripe.Subscription.Status | string): TMappedStatus | null {
  switch (status) {
    case 'trialing':
      return { status: 'active', trialing: true };
    case 'active':
      return { status: 'active', trialing: false };
    case 'past_due':
    case 'unpaid':
      return { status: 'past_due', trialing: false };
    case 'canceled':
    case 'incomplete_expired':
    case 'paused':
      return { status: 'canceled', trialing: false };
    default:
      return null;
  }
}
