import {
  describePlanState,
  findProductByAppId,
  isLiveHubStatus,
  isSubscriptionStatus,
  type TCatalogProduct,
  type TPlanState,
  type TSubscriptionStatus,
} from '@omg/contract';
import type { TDatabase } from '@omg/db';
import { readPortalRows, type TPortalRow } from './read-portal-rows';

export type TPortalStatus = 'not_subscribed' | TSubscriptionStatus;

export interface TPortalApp {
  appId: string;
  slug: string;
  name: string;
  tagline: string;
  description: string;
  launchUrl: string | null;
  status: TPortalStatus;
  /** The customer's state in the words SVD uses too (a free trial, a cancellation booked, …). */
  state: TPlanState;
  plan: string | null;
  /** The cheapest self-serve price in the catalog, in cents. */
  fromPriceCents: number | null;
  product: TCatalogProduct | undefined;
}

/** The comp as a subscription row while it runs, when it is better than `own` (a later plan, or `own` not live). */
function compedSubscription(
  product: TCatalogProduct | undefined,
  own: TPortalRow['subscription'],
  comp: [string, number] | null,
): TPortalRow['subscription'] {
  if (!comp || !product) return null;
  const [plan, endsAtMs] = comp;
  const rank = (id: string | undefined) => product.plans.findIndex((p) => p.id === id);
  if (rank(plan) < 0) return null;
  if (own && isLiveHubStatus(own.status) && rank(plan) <= rank(own.plan)) return null;
  return {
    appId: product.appId,
    status: 'active',
    plan,
    trialEndsAt: null,
    currentPeriodEnd: new Date(Number(endsAtMs)),
    cancelAtPeriodEnd: false,
  };
}

function toPortalStatus(status: string | null | undefined): TPortalStatus {
  return isSubscriptionStatus(status) ? status : 'not_subscribed';
}

/** Every app in hub."App" with the user's status for it and its price from the catalog. */
export async function getPortalApps(
  db: TDatabase,
  { userId, now = new Date() }: { userId: string; now?: Date },
): Promise<TPortalApp[]> {
  const rows = await readPortalRows(db, userId);
  // SVD counts its 14 days from the customer's first use of SVD (their UserProfile's creation, on the first launch).
  // Before that the trial has not started, and SVD would start it on launch: it starts `now`, so the Hub says what
  // SVD would say.
  const svdTrialStart = rows[0]?.svdTrialStart ?? now;
  return rows.map(({ app, subscription: own, comp }) => {
    const product = findProductByAppId(app.id);
    // A comp that gives more than the customer's own subscription is what they have, worded as their plan.
    const subscription = compedSubscription(product, own, comp) ?? own;
    const prices = (product?.plans ?? []).map((p) => p.priceCents).filter((c): c is number => c !== null);
    return {
      appId: app.id,
      slug: app.slug,
      name: app.name,
      tagline: app.tagline,
      description: app.description,
      launchUrl: app.launchUrl,
      status: toPortalStatus(subscription?.status),
      // Only SVD has a free trial without a subscription, counted from its first use (ignored for other apps).
      state: describePlanState({
        appId: app.id,
        subscription: subscription ?? null,
        freeTrialStartedAt: svdTrialStart,
        now,
      }),
      plan: subscription?.plan ?? null,
      fromPriceCents: prices.length ? Math.min(...prices) : null,
      product,
    };
  });
}
