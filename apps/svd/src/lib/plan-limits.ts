import { PLAN_LIMITS, type TSvdPlanId } from '@omg/contract';

/**
 * SVD's limits per plan (SPEC §3) are the contract's table, which the Hub's plan comparison reads too: one source
 * for what is sold and what is enforced. Prices live in the catalog beside it.
 */
export { PLAN_LIMITS, type TPlanLimits } from '@omg/contract';

// SVD's own trial for a user with no subscription row (14 days, SPEC §3) is defined with the checkout trial in
// the contract (NO_SUBSCRIPTION_TRIAL_DAYS, describePlanState), so the Hub names and counts it the same way.

/** The plan to offer next from the Upgrade button; null when there is no self-serve step up. */
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
