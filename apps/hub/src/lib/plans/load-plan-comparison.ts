import {
  FREE_TRIAL_PLAN_ID,
  isLiveHubStatus,
  NO_SUBSCRIPTION_TRIAL_APP_ID,
  type TCatalogProduct,
} from '@omg/contract';
import { findSubscription, type TDatabase } from '@omg/db';
import { isProductLaunched } from '../checkout/is-product-launched';
import { buildPlanComparison, type TPlanComparison } from './build-plan-comparison';

/**
 * The comparison for whoever is looking: a visitor sees every plan to choose from; a signed-in customer sees their
 * own plan marked, read from their hub."Subscription" row (a link can point here, never say which plan they have).
 */
export async function loadPlanComparison(
  db: TDatabase,
  input: { product: TCatalogProduct; userId: string | null; returnUrl?: string | null; now?: Date },
): Promise<TPlanComparison & { launched: boolean }> {
  const { product, userId, returnUrl = null, now = new Date() } = input;
  const [launched, row] = await Promise.all([
    isProductLaunched(db, product.appId),
    userId ? findSubscription(db, { userId, appId: product.appId }) : Promise.resolve(undefined),
  ]);
  let currentPlanId: string | null = null;
  if (row && isLiveHubStatus(row.status)) currentPlanId = row.plan;
  // A signed-in SVD user without a row is on SVD's own free trial (SPEC §3).
  else if (userId && !row && product.appId === NO_SUBSCRIPTION_TRIAL_APP_ID)
    currentPlanId = FREE_TRIAL_PLAN_ID;
  const comparison = buildPlanComparison({
    product,
    launched,
    currentPlanId,
    trialEligible: !row,
    returnUrl,
    now,
  });
  return { ...comparison, launched };
}
