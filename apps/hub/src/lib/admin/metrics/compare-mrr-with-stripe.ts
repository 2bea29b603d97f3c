import { findPlanByLookupKey, findSeatPriceByLookupKey } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { inArray } from 'drizzle-orm';
import type Stripe from 'stripe';
import { PAST_DUE_GRACE_DAYS } from './compute-subscription-metrics';

/** MRR agrees with Stripe when the two differ by at most this share of Stripe's figure (issue 14). */
export const MRR_AGREEMENT_TOLERANCE = 0.005;
/** The whole listing must finish within this; a page of the dashboard never waits longer for Stripe. */
export const STRIPE_MRR_TIMEOUT_MS = 8_000;
const GRACE_SECONDS = PAST_DUE_GRACE_DAYS * 24 * 60 * 60;

export type TMrrComparison =
  | {
      status: 'agrees' | 'differs';
      hubCents: number;
      stripeCents: number;
      differenceCents: number;
      /** (hub − Stripe) / Stripe × 100; null when Stripe's MRR is 0. */
      differencePercent: number | null;
      subscriptionsCounted: number;
    }
  | { status: 'unavailable'; hubCents: number; reason: string };

/** A price's monthly amount: a yearly price over 12, a weekly one × 52 / 12, a daily one × 365 / 12. */
function monthlyCents(price: Stripe.Price, quantity: number): number {
  const amount = (price.unit_amount ?? 0) * quantity;
  const recurring = price.recurring;
  if (!recurring) return 0;
  const every = recurring.interval_count || 1;
  const PER_MONTH: Record<string, number> = { month: 1, year: 1 / 12, week: 52 / 12, day: 365 / 12 };
  const perMonth = PER_MONTH[recurring.interval] ?? 0;
  return (amount * perMonth) / every;
}

/**
 * Whether a Stripe subscription counts toward MRR by the dashboard's rule (compute-subscription-metrics.ts):
 * active and not trialing, or past due for at most the grace period. Stripe does not say when a subscription
 * became past due; the renewal that failed began the current period, so the grace runs from its start.
 */
function counts(subscription: Stripe.Subscription, nowSeconds: number): boolean {
  if (subscription.status === 'active') return true;
  if (subscription.status !== 'past_due' && subscription.status !== 'unpaid') return false;
  const periodStart = subscription.items.data[0]?.current_period_start ?? 0;
  return nowSeconds - periodStart < GRACE_SECONDS;
}

/**
 * Lists Stripe's subscriptions (every page, prices expanded, bounded by `timeoutMs` overall) and computes their
 * MRR as the dashboard computes ours: list prices a month, trials, incomplete and ended subscriptions excluded,
 * past due within the grace. Prices map to products by the catalog's lookup keys (plans and seats) or the
 * migration's hub."LegacyPrice"; with a product filter only its prices count. Then compares with `hubCents`:
 * agreement within MRR_AGREEMENT_TOLERANCE. Stripe failing or too slow is 'unavailable' with the reason, never an
 * exception: the dashboard shows everything else.
 */
export async function compareMrrWithStripe(
  db: TDatabase,
  stripe: Stripe,
  input: { hubCents: number; product: string; now?: Date; timeoutMs?: number; pageSize?: number },
): Promise<TMrrComparison> {
  const { hubCents, product } = input;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const deadline = Date.now() + (input.timeoutMs ?? STRIPE_MRR_TIMEOUT_MS);
  const items: { price: Stripe.Price; quantity: number }[] = [];
  let subscriptionsCounted = 0;
  try {
    let startingAfter: string | undefined;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('Stripe took too long to list the subscriptions.');
      const page = await stripe.subscriptions.list(
        {
          limit: input.pageSize ?? 100,
          expand: ['data.items.data.price'],
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        },
        { timeout: remaining, maxNetworkRetries: 0 },
      );
      for (const subscription of page.data) {
        if (!counts(subscription, nowSeconds)) continue;
        subscriptionsCounted += 1;
        for (const item of subscription.items.data)
          items.push({ price: item.price, quantity: item.quantity ?? 1 });
      }
      const last = page.data.at(-1);
      if (!page.has_more || !last) break;
      startingAfter = last.id;
    }
  } catch (error) {
    const reason = error instanceof Error && error.message ? error.message : 'Stripe did not answer.';
    return { status: 'unavailable', hubCents, reason };
  }

  const unknown = [
    ...new Set(
      items
        .filter(({ price }) => !price.lookup_key || !appOfLookupKey(price.lookup_key))
        .map(({ price }) => price.id),
    ),
  ];
  const legacy = new Map(
    unknown.length === 0
      ? []
      : (
          await db
            .select({ id: schema.legacyPrice.stripePriceId, appId: schema.legacyPrice.appId })
            .from(schema.legacyPrice)
            .where(inArray(schema.legacyPrice.stripePriceId, unknown))
        ).map((row) => [row.id, row.appId] as const),
  );
  let stripeExact = 0;
  for (const { price, quantity } of items) {
    const appId = (price.lookup_key ? appOfLookupKey(price.lookup_key) : undefined) ?? legacy.get(price.id);
    // A price that is neither ours nor the migration's belongs to no product: it counts only without a filter.
    if (product !== 'all' && appId !== product) continue;
    stripeExact += monthlyCents(price, quantity);
  }
  const stripeCents = Math.round(stripeExact);
  const differenceCents = hubCents - stripeCents;
  const differencePercent = stripeCents === 0 ? null : (100 * differenceCents) / stripeCents;
  const agrees =
    stripeCents === 0 ? hubCents === 0 : Math.abs(differenceCents) <= MRR_AGREEMENT_TOLERANCE * stripeCents;
  return {
    status: agrees ? 'agrees' : 'differs',
    hubCents,
    stripeCents,
    differenceCents,
    differencePercent,
    subscriptionsCounted,
  };
}

function appOfLookupKey(lookupKey: string): string | undefined {
  return (findPlanByLookupKey(lookupKey) ?? findSeatPriceByLookupKey(lookupKey))?.product.appId;
}
