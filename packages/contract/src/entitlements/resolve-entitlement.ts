import { SVD_APP_ID, SVD_PLAN_IDS, type TSvdPlanId } from '../constants';
import { describePlanState } from '../describe-plan-state';
import { PLAN_LIMITS, type TPlanLimits } from '../plan-limits';
import { isLiveHubStatus } from '../subscription-status';
import { isSvdPlan, NEXT_PLAN } from './next-plan';

/**
 * The inputs of an entitlement: the hub."Subscription" row's fields for app_securevault. Shared by SVD (which
 * enforces it) and the Hub's console (which explains it), so both compute the same answer from the same row.
 */
export interface TEntitlementSubscription {
  plan: string;
  status: string;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  scheduledPlan?: string | null;
  scheduledPlanAt?: Date | null;
}

/** A plan staff gave free until `endsAt` (hub."Comp", issue 14); revoked comps are never passed in. */
export interface TEntitlementComp {
  plan: string;
  endsAt: Date;
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
  /**
   * Badge text, in the words the Hub uses too (`describePlanState`): "Free trial, 9 days left",
   * "Growth — Free trial, 3 days left", "Growth — Active", "Growth — Cancels on Jan 1, 2027", "Canceled".
   */
  label: string;
  /** A downgrade the Hub has scheduled for the end of the paid period. */
  scheduled: { plan: TSvdPlanId; limits: TPlanLimits; at: Date } | null;
  /** The subscription is canceled from this day (in the Hub or Stripe's portal); the plan holds until then. */
  cancelsAt: Date | null;
  /**
   * Set when a comp decides the plan: staff see "comped", the customer sees the plan as theirs (the label is the
   * plan's own, "Pro — Active"); it ends by itself at `endsAt`, then the subscription (or the trial) applies again.
   */
  comped: { plan: TSvdPlanId; endsAt: Date } | null;
}

const DAY = 24 * 60 * 60 * 1000;

function daysLeft(end: Date, now: Date): number {
  return Math.max(0, Math.ceil((end.getTime() - now.getTime()) / DAY));
}

/** Plans in the order they give more (SVD_PLAN_IDS lists them from the trial up to Enterprise). */
const rank = (plan: TSvdPlanId) => SVD_PLAN_IDS.indexOf(plan);

/**
 * The comp that decides the plan, if any: one still running, of a plan SVD knows, and better than what the
 * subscription gives (the subscription is not live, or its plan ranks lower). A comp never makes things worse.
 */
function decidingComp(
  comp: TEntitlementComp | null | undefined,
  subscription: TEntitlementSubscription | null,
  now: Date,
): { plan: TSvdPlanId; endsAt: Date } | null {
  if (!comp || comp.endsAt <= now || !isSvdPlan(comp.plan)) return null;
  const plan = comp.plan;
  if (!subscription || !isLiveHubStatus(subscription.status) || !isSvdPlan(subscription.plan)) {
    return { plan, endsAt: comp.endsAt };
  }
  return rank(plan) > rank(subscription.plan) ? { plan, endsAt: comp.endsAt } : null;
}

/**
 * What SVD allows, from the hub."Subscription" row for app_securevault (SPEC §6): no row → the 14-day trial
 * from the profile's creation, then read-only; active / past_due → that plan; canceled (or a plan SVD does not
 * know) → no paid access, read-only. A running comp (hub."Comp") that gives more than that applies instead, as
 * an active plan until its end.
 */
export function resolveEntitlement(input: {
  subscription: TEntitlementSubscription | null;
  comp?: TEntitlementComp | null;
  profileCreatedAt: Date;
  now: Date;
}): TEntitlement {
  const { subscription, now } = input;
  const comped = decidingComp(input.comp, subscription, now);
  if (comped) {
    return {
      state: 'active',
      plan: comped.plan,
      limits: PLAN_LIMITS[comped.plan],
      readOnly: false,
      trialEndsAt: null,
      trialDaysLeft: null,
      currentPeriodEnd: comped.endsAt,
      nextPlan: NEXT_PLAN[comped.plan],
      label: describePlanState({
        appId: SVD_APP_ID,
        subscription: {
          plan: comped.plan,
          status: 'active',
          trialEndsAt: null,
          currentPeriodEnd: comped.endsAt,
          cancelAtPeriodEnd: false,
        },
        now,
      }).label,
      scheduled: null,
      cancelsAt: null,
      comped,
    };
  }
  if (!subscription) {
    // The free trial's days and end come from the contract, so the Hub counts them the same way.
    const free = describePlanState({
      appId: SVD_APP_ID,
      subscription: null,
      freeTrialStartedAt: input.profileCreatedAt,
      now,
    });
    const ended = free.kind === 'trial_ended';
    return {
      state: ended ? 'trial_ended' : 'trial',
      plan: 'trial',
      limits: PLAN_LIMITS.trial,
      readOnly: ended,
      trialEndsAt: free.endsAt,
      trialDaysLeft: free.daysLeft ?? 0,
      currentPeriodEnd: null,
      nextPlan: NEXT_PLAN.trial,
      label: free.label,
      scheduled: null,
      cancelsAt: null,
      comped: null,
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
      // A plan SVD does not know grants nothing, whatever its status says.
      label: describePlanState({
        appId: SVD_APP_ID,
        subscription: { ...subscription, status: 'canceled' },
        now,
      }).label,
      scheduled: null,
      cancelsAt: null,
      comped: null,
    };
  }
  const onTrial = subscription.trialEndsAt !== null && subscription.trialEndsAt > now;
  const left = onTrial && subscription.trialEndsAt ? daysLeft(subscription.trialEndsAt, now) : null;
  const described = describePlanState({ appId: SVD_APP_ID, subscription, now });
  return {
    ...base,
    state: status,
    readOnly: false,
    trialEndsAt: onTrial ? subscription.trialEndsAt : null,
    trialDaysLeft: left,
    label: described.label,
    scheduled: scheduledChange(subscription, now),
    cancelsAt: described.kind === 'canceling' ? described.endsAt : null,
    comped: null,
  };
}

function scheduledChange(subscription: TEntitlementSubscription, now: Date): TEntitlement['scheduled'] {
  const { scheduledPlan, scheduledPlanAt } = subscription;
  if (!scheduledPlan || !scheduledPlanAt || scheduledPlanAt <= now || !isSvdPlan(scheduledPlan)) return null;
  return { plan: scheduledPlan, limits: PLAN_LIMITS[scheduledPlan], at: scheduledPlanAt };
}
