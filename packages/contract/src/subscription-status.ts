import { SUBSCRIPTION_STATUSES, type TSubscriptionStatus } from './constants';

/**
 * The hub."Subscription" statuses that grant access (SPEC §5: `past_due` keeps access while Stripe retries).
 * The column is NOT NULL DEFAULT 'active', so a row never carries NULL; anything else, NULL included, is not live.
 */
export const LIVE_HUB_STATUSES = ['active', 'past_due'] as const satisfies readonly TSubscriptionStatus[];
export type TLiveHubStatus = (typeof LIVE_HUB_STATUSES)[number];

/**
 * Stripe subscription statuses that count as a live subscription: exactly those SPEC §2 maps to a live Hub status.
 * A trial is a subscription the user holds (it maps to `active`), so a second checkout during a trial is a
 * duplicate; `unpaid` maps to `past_due`, which keeps access, so it is live too.
 */
export const LIVE_STRIPE_STATUSES = ['active', 'trialing', 'past_due', 'unpaid'] as const;
export type TLiveStripeStatus = (typeof LIVE_STRIPE_STATUSES)[number];

/** Stripe subscription statuses that are over for good: nothing left to cancel, and never live again. */
export const ENDED_STRIPE_STATUSES = ['canceled', 'incomplete_expired'] as const;
export type TEndedStripeStatus = (typeof ENDED_STRIPE_STATUSES)[number];

const includes = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

export function isSubscriptionStatus(status: unknown): status is TSubscriptionStatus {
  return includes(SUBSCRIPTION_STATUSES, status);
}

/** Whether a hub."Subscription".status grants access. */
export function isLiveHubStatus(status: string | null | undefined): status is TLiveHubStatus {
  return includes(LIVE_HUB_STATUSES, status);
}

/** Whether a Stripe `Subscription.status` is one the user still holds. */
export function isLiveStripeStatus(status: string | null | undefined): status is TLiveStripeStatus {
  return includes(LIVE_STRIPE_STATUSES, status);
}

/** Whether a Stripe `Subscription.status` has ended for good (canceled, or its first payment never came). */
export function isEndedStripeStatus(status: string | null | undefined): status is TEndedStripeStatus {
  return includes(ENDED_STRIPE_STATUSES, status);
}
