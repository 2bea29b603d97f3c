import {
  describePlanState,
  findProductByAppId,
  isSubscriptionStatus,
  type TCatalogProduct,
  type TPlanState,
  type TSubscriptionStatus,
} from '@omg/contract';
import type { TDatabase } from '@omg/db';
import { readPortalRows } from './read-portal-rows';

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
  return rows.map(({ app, subscription }) => {
    const product = findProductByAppId(app.id);
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
