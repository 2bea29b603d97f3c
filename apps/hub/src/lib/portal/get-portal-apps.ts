import {
  describePlanState,
  findProductByAppId,
  isSubscriptionStatus,
  type TCatalogProduct,
  type TPlanState,
  type TSubscriptionStatus,
} from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { asc, eq } from 'drizzle-orm';
import { findSvdTrialStart } from './find-svd-trial-start';

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
  const [apps, subscriptions, svdTrialStart] = await Promise.all([
    db.select().from(schema.app).orderBy(asc(schema.app.sortOrder)),
    db
      .select({
        appId: schema.subscription.appId,
        status: schema.subscription.status,
        plan: schema.subscription.plan,
        trialEndsAt: schema.subscription.trialEndsAt,
        currentPeriodEnd: schema.subscription.currentPeriodEnd,
        cancelAtPeriodEnd: schema.subscription.cancelAtPeriodEnd,
      })
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, userId)),
    findSvdTrialStart(db, { userId, now }),
  ]);
  return apps.map((app) => {
    const subscription = subscriptions.find((s) => s.appId === app.id);
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
