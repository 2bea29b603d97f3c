import { isLiveHubStatus, type TSvdPlanId } from '@omg/contract';
import {
  isSvdPlan,
  NEXT_PLAN,
  NO_SUBSCRIPTION_TRIAL_DAYS,
  PLAN_LIMITS,
  type TPlanLimits,
} from '../plan-limits';

export interface TSubscriptionRow {
  plan: string;
  status: string;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  scheduledPlan?: string | null;
  scheduledPlanAt?: Date | null;
}

export type TEntitlementState = 'trial' | 'trial_ended' | 'active' | 'past_due' | 'canceled';

export interface TEntitlement {
  state: TEntitlementState;
  plan: TSvdPlanId;
  limits: TPlanLimits;
  /** Uploads are refused (documents can still be read, searched, downloaded, renamed and deleted). */
  readOnly: boolean;
  /** End of SVD's own 14-day trial, or of a Stripe trial on a paid plan. */
  trialEndsAt: Date | null;
  trialDaysLeft: number | null;
  currentPeriodEnd: Date | null;
  nextPlan: TSvdPlanId | null;
  /** Badge text: "Growth — Active", "Trial — 9 days left", "Pro — Past due", "Canceled". */
  label: string;
  /** A downgrade the Hub has scheduled for the end of the paid period. */
  scheduled: { plan: TSvdPlanId; limits: TPlanLimits; at: Date } | null;
}

const DAY = 24 * 60 * 60 * 1000;

function daysLeft(end: Date, now: Date): number {
  return Math.max(0, Math.ceil((end.getTime() - now.getTime()) / DAY));
}

/**
 * What SVD allows, from the hub."Subscription" row for app_securevault (SPEC §6): no row → the 14-day trial
 * from the profile's creation, then read-only; active / past_due → that plan; canceled (or a plan SVD does not
 * know) → no paid access, read-only.
 */
export function resolveEntitlement(input: {
  subscription: TSubscriptionRow | null;
  profileCreatedAt: Date;
  now: Date;
}): TEntitlement {
  const { subscription, now } = input;
  if (!subscription) {
    const trialEndsAt = new Date(input.profileCreatedAt.getTime() + NO_SUBSCRIPTION_TRIAL_DAYS * DAY);
    const left = daysLeft(trialEndsAt, now);
    const ended = trialEndsAt <= now;
    return {
      state: ended ? 'trial_ended' : 'trial',
      plan: 'trial',
      limits: PLAN_LIMITS.trial,
      readOnly: ended,
      trialEndsAt,
      trialDaysLeft: ended ? 0 : left,
      currentPeriodEnd: null,
      nextPlan: NEXT_PLAN.trial,
      label: ended ? 'Trial — Ended' : `Trial — ${left} ${left === 1 ? 'day' : 'days'} left`,
      scheduled: null,
    };
  }

  const known = isSvdPlan(subscription.plan);
  const plan: TSvdPlanId = known ? (subscription.plan as TSvdPlanId) : 'trial';
  const limits = PLAN_LIMITS[plan];
  const { status } = subscription;
  const base = {
    plan,
    limits,
    currentPeriodEnd: subscription.currentPeriodEnd,
    nextPlan: NEXT_PLAN[plan],
  };
  if (!known || !isLiveHubStatus(status)) {
    return {
      ...base,
      state: 'canceled',
      readOnly: true,
      trialEndsAt: null,
      trialDaysLeft: null,
      label: 'Canceled',
      scheduled: null,
    };
  }
  const onTrial = subscription.trialEndsAt !== null && subscription.trialEndsAt > now;
  const left = onTrial && subscription.trialEndsAt ? daysLeft(subscription.trialEndsAt, now) : null;
  const label =
    status === 'past_due'
      ? `${limits.name} — Past due`
      : onTrial
        ? `${limits.name} — Trial, ${left} ${left === 1 ? 'day' : 'days'} left`
        : `${limits.name} — Active`;
  return {
    ...base,
    state: status,
    readOnly: false,
    trialEndsAt: onTrial ? subscription.trialEndsAt : null,
    trialDaysLeft: left,
    label,
    scheduled: scheduledChange(subscription, now),
  };
}

function scheduledChange(subscription: TSubscriptionRow, now: Date): TEntitlement['scheduled'] {
  const { scheduledPlan, scheduledPlanAt } = subscription;
  if (!scheduledPlan || !scheduledPlanAt || scheduledPlanAt <= now || !isSvdPlan(scheduledPlan)) return null;
  return { plan: scheduledPlan, limits: PLAN_LIMITS[scheduledPlan], at: scheduledPlanAt };
}
