import type { TSvdPlanId } from '@omg/contract';

const MB = 1024 ** 2;
const GB = 1024 ** 3;
const TB = 1024 ** 4;

export interface TPlanLimits {
  name: string;
  storageBytes: number;
  processingUnitsPerMonth: number;
  maxFileBytes: number;
}

/** SVD's limits per plan (SPEC §3). Prices live in the Hub's catalog; what each plan allows lives here. */
export const PLAN_LIMITS = {
  trial: { name: 'Trial', storageBytes: 1 * GB, processingUnitsPerMonth: 50, maxFileBytes: 25 * MB },
  starter: { name: 'Starter', storageBytes: 25 * GB, processingUnitsPerMonth: 250, maxFileBytes: 100 * MB },
  growth: { name: 'Growth', storageBytes: 75 * GB, processingUnitsPerMonth: 600, maxFileBytes: 250 * MB },
  pro: { name: 'Pro', storageBytes: 200 * GB, processingUnitsPerMonth: 1_350, maxFileBytes: 1 * GB },
  business_starter: {
    name: 'Business Starter',
    storageBytes: 250 * GB,
    processingUnitsPerMonth: 1_500,
    maxFileBytes: 1 * GB,
  },
  business_growth: {
    name: 'Business Growth',
    storageBytes: 1 * TB,
    processingUnitsPerMonth: 4_000,
    maxFileBytes: 2 * GB,
  },
  business_pro: {
    name: 'Business Pro',
    storageBytes: 2 * TB,
    processingUnitsPerMonth: 8_000,
    maxFileBytes: 5 * GB,
  },
  enterprise: {
    name: 'Enterprise',
    storageBytes: 10 * TB,
    processingUnitsPerMonth: 40_000,
    maxFileBytes: 10 * GB,
  },
} as const satisfies Record<TSvdPlanId, TPlanLimits>;

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
