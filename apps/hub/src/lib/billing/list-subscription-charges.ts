import { LIVE_HUB_STATUSES } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { isPaymentProviderUnavailable } from '@omg/platform';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import { logger } from '@/lib/logger';
import { getSubscriptionCharges, type TSubscriptionCharges } from './get-subscription-charges';

/**
 * How long the billing page waits for Stripe's figures: the page shows what the database knows either way, so a
 * slow Stripe costs a few seconds at most, not the client's whole budget (timeout and retry).
 */
const CHARGES_WAIT_MS = 3_000;

export interface TSubscriptionChargesList {
  charges: Map<string, TSubscriptionCharges>;
  /** Stripe did not answer in time (or is down): the page says payments are temporarily unavailable. */
  paymentsUnavailable: boolean;
}

/** Stripe's answer, or `null` once CHARGES_WAIT_MS have passed (the call itself is left to finish or fail). */
async function withinWait<T>(work: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), CHARGES_WAIT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The discount and next charge of each of the user's live Stripe subscriptions, by app id, for the billing page.
 * These are Stripe's figures (the rows hold neither), asked in parallel; a subscription Stripe cannot answer for
 * right now is left out and logged, so the page still shows everything the database knows, and when that is
 * because Stripe is slow or away the page says so.
 */
export async function listSubscriptionCharges(
  db: TDatabase,
  stripe: Stripe,
  { userId, organizationId }: { userId: string; organizationId?: string },
): Promise<TSubscriptionChargesList> {
  const rows = await db
    .select({
      appId: schema.subscription.appId,
      stripeSubscriptionId: schema.subscription.stripeSubscriptionId,
    })
    .from(schema.subscription)
    .where(
      and(
        // A business account's own subscriptions (issue 15), or the person's.
        organizationId
          ? eq(schema.subscription.organizationId, organizationId)
          : eq(schema.subscription.userId, userId),
        inArray(schema.subscription.status, [...LIVE_HUB_STATUSES]),
        isNotNull(schema.subscription.stripeSubscriptionId),
      ),
    );
  let paymentsUnavailable = false;
  const entries = await Promise.all(
    rows.map(async ({ appId, stripeSubscriptionId }) => {
      try {
        const charges = await withinWait(
          getSubscriptionCharges(stripe, { stripeSubscriptionId: stripeSubscriptionId ?? '' }),
        );
        if (charges) return [[appId, charges] as const];
        paymentsUnavailable = true;
        logger.warn({ appId, stripeSubscriptionId }, 'billing page: Stripe too slow for the charges');
        return [];
      } catch (error) {
        if (isPaymentProviderUnavailable(error)) paymentsUnavailable = true;
        logger.warn({ err: error, appId, stripeSubscriptionId }, 'billing page: Stripe charges unavailable');
        return [];
      }
    }),
  );
  return { charges: new Map(entries.flat()), paymentsUnavailable };
}
