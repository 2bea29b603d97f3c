import type { TSvdPlanId } from './constants';

const MB = 1024 ** 2;
const GB = 1024 ** 3;
const TB = 1024 ** 4;

export interface TPlanLimits {
  name: string;
  storageBytes: number;
  processingUnitsPerMonth: number;
  maxFileBytes: number;
}

/**
 * SecureVault Docs' limits per plan (SPEC §3): what SVD enforces and what the Hub's plan comparison shows, from
 * this one table (SVD's entitlement resolver in `entitlements/` reads it), so the page a customer buys from can never promise
 * other numbers than the app applies. Prices live in the catalog beside it.
 */
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
