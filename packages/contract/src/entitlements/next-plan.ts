import type { TSvdPlanId } from '../constants';
import { PLAN_LIMITS } from '../plan-limits';

// SVD's own trial for a user with no subscription row (14 days, SPEC §3) is defined with the checkout trial in
// the contract (NO_SUBSCRIPTION_TRIAL_DAYS, describePlanState), so the Hub names and counts it the same way.

/** The plan to offer next from SVD's Upgrade button; null when there is no self-serve step up. */
export const NEXT_PLAN: Record<TSvdPlanId, TSvdPlanId | null> = {
  trial: 'starter',
  starter: 'growth',
  growth: 'pro',
  pro: 'business_starter',
  business_starter: 'business_growth',
  business_growth: 'business_pro',
  business_pro: null,
  enterprise: null,
};

export function isSvdPlan(plan: string): plan is TSvdPlanId {
  return Object.hasOwn(PLAN_LIMITS, plan);
}
