import { LIVE_HUB_STATUSES } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import { logger } from '@/lib/logger';
import { getSubscriptionCharges, type TSubscriptionCharges } from './get-subscription-charges';

/**
 * The discount and next charge of each of the user's live Stripe subscriptions, by app id, for the billing page.
 * These are Stripe's figures (the rows hold neither), asked in parallel; a subscription Stripe cannot answer for
 * right now is left out and logged, so the page still shows everything the database knows.
 */
export async function listSubscriptionCharges(
  db: TDatabase,
  stripe: Stripe,
  { userId }: { userId: string },
): Promise<Map<string, TSubscriptionCharges>> {
  const rows = await db
    .select({
      appId: schema.subscription.appId,
      stripeSubscriptionId: schema.subscription.stripeSubscriptionId,
    })
    .from(schema.subscription)
    .where(
      and(
        eq(schema.subscription.userId, userId),
        inArray(schema.subscription.status, [...LIVE_HUB_STATUSES]),
        isNotNull(schema.subscription.stripeSubscriptionId),
      ),
    );
  const entries = await Promise.all(
    rows.map(async ({ appId, stripeSubscriptionId }) => {
      try {
        const charges = await getSubscriptionCharges(stripe, {
          stripeSubscriptionId: stripeSubscriptionId ?? '',
        });
        return [[appId, charges] as const];
      } catch (error) {
        logger.warn({ err: error, appId, stripeSubscriptionId }, 'billing page: Stripe charges unavailable');
        return [];
      }
    }),
  );
  return new Map(entries.flat());
}
