import { findProductByAppId } from './catalog';
import { formatBillingDay } from './format-billing-day';
import { isLiveHubStatus } from './subscription-status';
import { FREE_TRIAL_PLAN_ID, NO_SUBSCRIPTION_TRIAL_APP_ID, NO_SUBSCRIPTION_TRIAL_DAYS } from './trials';

/** What both apps know of a hub."Subscription" row (the columns that decide what the customer sees). */
export interface TPlanStateSubscription {
  plan: string;
  status: string;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export type TPlanStateKind =
  | 'not_subscribed'
  | 'trial'
  | 'trial_ended'
  | 'active'
  | 'canceling'
  | 'past_due'
  | 'canceled';

export interface TPlanState {
  kind: TPlanStateKind;
  /** The catalog's name of the plan; null without one (no subscription, or SVD's free `trial` plan). */
  planName: string | null;
  /** The state in words, without the plan: "Free trial, 3 days left", "Active", "Cancels on Jan 1, 2027". */
  status: string;
  /** Plan and state, for a badge that stands alone: "Growth — Free trial, 3 days left", "Free trial, 14 days left". */
  label: string;
  /** Whole days of free trial left, counting today (1 on the last day); null when not in a trial or not known. */
  daysLeft: number | null;
  /** When the free trial ends, or with `canceling` when access ends; null when neither applies or is known. */
  endsAt: Date | null;
  /** Whether the customer has access now (a trial, an active or past-due plan, a cancellation not yet due). */
  live: boolean;
}

const DAY = 24 * 60 * 60 * 1000;

const humanize = (plan: string) =>
  plan
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

function state(
  kind: TPlanStateKind,
  planName: string | null,
  status: string,
  extra: Partial<Pick<TPlanState, 'daysLeft' | 'endsAt'>> = {},
): TPlanState {
  return {
    kind,
    planName,
    status,
    // A canceled subscription is over whatever its plan was; the plan is not what the customer has.
    label: planName && kind !== 'canceled' ? `${planName} — ${status}` : status,
    daysLeft: extra.daysLeft ?? null,
    endsAt: extra.endsAt ?? null,
    live: kind !== 'not_subscribed' && kind !== 'trial_ended' && kind !== 'canceled',
  };
}

/** A free trial ending at `endsAt`: its days left, or ended once the instant has passed. */
function trialUntil(planName: string | null, endsAt: Date, now: Date): TPlanState {
  const left = Math.ceil((endsAt.getTime() - now.getTime()) / DAY);
  if (left <= 0) return state('trial_ended', planName, 'Free trial ended', { daysLeft: 0, endsAt });
  return state('trial', planName, `Free trial, ${left} ${left === 1 ? 'day' : 'days'} left`, {
    daysLeft: left,
    endsAt,
  });
}

/**
 * The customer's state for one app in the words every screen uses (the Hub's portal and billing page, SVD's
 * header): one definition, so the two apps cannot describe the same subscription differently.
 *
 * - No row: SVD's free trial (14 days from first use; `freeTrialStartedAt` is SVD's first use, the creation of
 *   securevault."UserProfile", which the Hub may read too — without it the trial is named but not counted), or
 *   "Not subscribed" for the other apps.
 * - A live row: "Past due" first (the customer must act), then a cancellation booked for the period's end
 *   ("Cancels on <date>": access continues until then), then a checkout's free trial, then "Active".
 * - Anything else is "Canceled".
 */
export function describePlanState(input: {
  appId: string;
  subscription: TPlanStateSubscription | null;
  freeTrialStartedAt?: Date | null;
  now: Date;
}): TPlanState {
  const { subscription, now } = input;
  if (!subscription) {
    if (input.appId !== NO_SUBSCRIPTION_TRIAL_APP_ID) return state('not_subscribed', null, 'Not subscribed');
    if (!input.freeTrialStartedAt) return state('trial', null, 'Free trial');
    const endsAt = new Date(input.freeTrialStartedAt.getTime() + NO_SUBSCRIPTION_TRIAL_DAYS * DAY);
    return trialUntil(null, endsAt, now);
  }

  const freePlan = subscription.plan === FREE_TRIAL_PLAN_ID;
  const planName = freePlan
    ? null
    : (findProductByAppId(input.appId)?.plans.find((p) => p.id === subscription.plan)?.name ??
      humanize(subscription.plan));
  if (!isLiveHubStatus(subscription.status)) return state('canceled', planName, 'Canceled');
  if (subscription.status === 'past_due') return state('past_due', planName, 'Past due');

  const accessEnds = subscription.currentPeriodEnd ?? subscription.trialEndsAt;
  if (subscription.cancelAtPeriodEnd && accessEnds) {
    return state('canceling', planName, `Cancels on ${formatBillingDay(accessEnds)}`, { endsAt: accessEnds });
  }
  if (subscription.trialEndsAt && subscription.trialEndsAt > now) {
    return trialUntil(planName, subscription.trialEndsAt, now);
  }
  // SVD's `trial` plan given by SQL, with no end date: a free trial that is not counted down.
  if (freePlan) return state('trial', null, 'Free trial');
  return state('active', planName, 'Active');
}
