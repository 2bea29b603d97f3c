import { describePlanState, findProductByAppId, planDisplayName } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { asc, eq } from 'drizzle-orm';
import { stripeDashboardUrl } from './stripe-dashboard-url';

export interface TStripeLink {
  id: string;
  url: string;
}

export interface TCustomerSubscription {
  id: string;
  appId: string;
  appName: string;
  plan: string;
  planName: string;
  /** As stored: 'active' | 'past_due' | 'canceled'. */
  status: string;
  /** The state in the words the customer sees ("Growth — Cancels on Jan 1, 2027"). */
  stateLabel: string;
  /** What the customer pays a month: the grandfathered price when there is one, else the catalog's. */
  priceCents: number | null;
  grandfathered: boolean;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  scheduledChange: { plan: string; planName: string; at: Date } | null;
  /** 'hub' (bought here) or 'migration' (SVD's old billing); migratedAt when it was moved. */
  source: string;
  migratedAt: Date | null;
  createdAt: Date | null;
  stripeCustomer: TStripeLink | null;
  stripeSubscription: TStripeLink | null;
  stripePrice: TStripeLink | null;
}

/**
 * Every subscription the customer has, one per app (issue 14), with the price they pay and the Stripe ids linked
 * to Stripe's dashboard (the test-mode side unless the Hub runs on a live key). By the indexed user id.
 */
export async function loadCustomerSubscriptions(
  db: TDatabase,
  userId: string,
  options: { stripeTestMode: boolean; now?: Date },
): Promise<TCustomerSubscription[]> {
  const now = options.now ?? new Date();
  const link = (kind: Parameters<typeof stripeDashboardUrl>[0], id: string | null): TStripeLink | null =>
    id ? { id, url: stripeDashboardUrl(kind, id, options.stripeTestMode) } : null;
  const rows = await db
    .select({ row: schema.subscription, appName: schema.app.name, sortOrder: schema.app.sortOrder })
    .from(schema.subscription)
    .leftJoin(schema.app, eq(schema.app.id, schema.subscription.appId))
    .where(eq(schema.subscription.userId, userId))
    .orderBy(asc(schema.app.sortOrder), asc(schema.subscription.appId));
  return rows.map(({ row, appName }) => {
    const product = findProductByAppId(row.appId);
    const catalogPrice = product?.plans.find((p) => p.id === row.plan)?.priceCents ?? null;
    return {
      id: row.id,
      appId: row.appId,
      appName: product?.name ?? appName ?? row.appId,
      plan: row.plan,
      planName: planDisplayName(row.appId, row.plan),
      status: row.status,
      stateLabel: describePlanState({ appId: row.appId, subscription: row, now }).label,
      priceCents: row.grandfatheredPriceCents ?? catalogPrice,
      grandfathered: row.grandfatheredPriceCents !== null,
      trialEndsAt: row.trialEndsAt,
      currentPeriodEnd: row.currentPeriodEnd,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      scheduledChange:
        row.scheduledPlan && row.scheduledPlanAt
          ? {
              plan: row.scheduledPlan,
              planName: planDisplayName(row.appId, row.scheduledPlan),
              at: row.scheduledPlanAt,
            }
          : null,
      source: row.source,
      migratedAt: row.migratedAt,
      createdAt: row.createdAt,
      stripeCustomer: link('customers', row.stripeCustomerId),
      stripeSubscription: link('subscriptions', row.stripeSubscriptionId),
      stripePrice: link('prices', row.stripePriceId),
    };
  });
}
