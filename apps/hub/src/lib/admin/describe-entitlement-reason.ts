import {
  formatBillingDay,
  isLiveHubStatus,
  planDisplayName,
  SVD_APP_ID,
  type TEntitlement,
  type TEntitlementSubscription,
} from '@omg/contract';

export interface TEntitlementReasonInput {
  entitlement: TEntitlement;
  /** The hub."Subscription" row the entitlement was resolved from; null when there is none. */
  subscription: TEntitlementSubscription | null;
  /** When SVD's free trial started (securevault."UserProfile".createdAt); null when SVD was never opened. */
  svdFirstUsedAt: Date | null;
  /** When the latest failed payment was reported (hub."BillingEvent" invoice.payment_failed), if past due. */
  pastDueSince: Date | null;
}

const day = (date: Date | null) => (date ? formatBillingDay(date) : 'an unrecorded day');

/**
 * Why SVD allows what it allows, in one sentence for staff (issue 14: "Why does this customer have access?").
 * Worded from the entitlement SVD computes (resolveEntitlement in @omg/contract), never recomputed here, so the
 * sentence cannot disagree with what the vault enforces; the row only adds the facts behind it (dates, plan).
 */
export function describeEntitlementReason(input: TEntitlementReasonInput): string {
  const { entitlement: e, subscription } = input;
  const plan = e.limits.name;
  // A comp decides only when it gives more than the subscription (resolveEntitlement): say so, and what follows.
  if (e.comped) {
    const then =
      subscription && isLiveHubStatus(subscription.status)
        ? `its ${planDisplayName(SVD_APP_ID, subscription.plan)} subscription`
        : 'no paid plan';
    return `${plan}, comped by staff until ${day(e.comped.endsAt)} (free, not billed); then ${then} applies again`;
  }
  switch (e.state) {
    case 'trial': {
      // Only without a subscription row: a checkout's trial is an `active` row with trialEndsAt (below).
      const left = `${e.trialDaysLeft ?? 0} ${e.trialDaysLeft === 1 ? 'day' : 'days'} left`;
      if (!input.svdFirstUsedAt) {
        return 'Free trial: has not opened SecureVault Docs yet; the 14-day trial starts at first use';
      }
      return `Free trial since ${day(input.svdFirstUsedAt)}, no paid plan: ${left}, ends ${day(e.trialEndsAt)}`;
    }
    case 'trial_ended':
      return `Read-only: trial ended ${day(e.trialEndsAt)}, no paid plan`;
    case 'canceled': {
      if (!subscription) return 'Read-only: no paid plan';
      if (subscription.status === 'canceled') {
        const name = planDisplayName(SVD_APP_ID, subscription.plan);
        return `Read-only: ${name} subscription canceled, no paid plan`;
      }
      return `Read-only: plan "${subscription.plan}" is not one SVD knows, so it grants nothing`;
    }
    case 'past_due': {
      const since = input.pastDueSince ? ` since ${day(input.pastDueSince)}` : '';
      return `${plan}, past due${since}, inside the grace period: access continues while Stripe retries the payment${scheduled(e)}`;
    }
    case 'active': {
      if (e.cancelsAt)
        return `${plan}, canceled at period end: access until ${day(e.cancelsAt)}, then read-only`;
      if (e.trialEndsAt) {
        return `${plan}, free trial from checkout until ${day(e.trialEndsAt)}, then paid${scheduled(e)}`;
      }
      const through = e.currentPeriodEnd
        ? `, paid through ${day(e.currentPeriodEnd)}`
        : ', no period end recorded';
      return `${plan}, active${through}${scheduled(e)}`;
    }
  }
}

function scheduled(e: TEntitlement): string {
  return e.scheduled ? `; moves to ${e.scheduled.limits.name} on ${day(e.scheduled.at)}` : '';
}
