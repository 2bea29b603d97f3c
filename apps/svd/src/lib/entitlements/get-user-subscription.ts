import { SVD_APP_ID } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq } from 'drizzle-orm';
import type { TSubscriptionRow } from './resolve-entitlement';

/**
 * The user's SVD subscription as the Hub wrote it in hub."Subscription", read fresh on every call (no cache),
 * so upgrades, downgrades and cancellations apply on the user's very next request.
 */
export async function getUserSubscription(db: TDatabase, userId: string): Promise<TSubscriptionRow | null> {
  const [row] = await db
    .select({
      plan: schema.subscription.plan,
      status: schema.subscription.status,
      trialEndsAt: schema.subscription.trialEndsAt,
      currentPeriodEnd: schema.subscription.currentPeriodEnd,
      cancelAtPeriodEnd: schema.subscription.cancelAtPeriodEnd,
      scheduledPlan: schema.subscription.scheduledPlan,
      scheduledPlanAt: schema.subscription.scheduledPlanAt,
    })
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, SVD_APP_ID)));
  return row ?? null;
}
