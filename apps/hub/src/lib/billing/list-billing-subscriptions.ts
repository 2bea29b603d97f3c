import {
  describePlanState,
  findProductByAppId,
  isSubscriptionStatus,
  type TPlanState,
  type TSubscriptionStatus,
} from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, asc, desc, eq, gt, isNull, lte } from 'drizzle-orm';

export interface TBillingPlanOption {
  id: string;
  name: string;
  priceCents: number;
}

export interface TBillingSubscription {
  appId: string;
  productSlug: string;
  productName: string;
  plan: string;
  planName: string;
  status: TSubscriptionStatus;
  /** The state in the words SVD uses too: a free trial's days left, "Cancels on <date>", "Past due", … */
  state: TPlanState;
  /** What the user pays each month: the catalog price, or the price kept from before a migration. */
  priceCents: number | null;
  grandfathered: boolean;
  /** Next renewal (or, with `cancelAtPeriodEnd`, the day access ends). */
  currentPeriodEnd: Date | null;
  /** Set while the subscription is in its free trial. */
  trialEndsAt: Date | null;
  cancelAtPeriodEnd: boolean;
  /** A downgrade waiting for the end of the paid period. */
  scheduledChange: { planName: string; at: Date } | null;
  /** Why the user must act, when Stripe could not charge them. */
  paymentProblem: string | null;
  /** Whether the Hub can change or cancel it through Stripe, or only in the database (SQL / migration rows). */
  managedByStripe: boolean;
  /**
   * A plan our team gave free (hub."Comp", issue 14) that is better than this subscription's, while it runs: the
   * customer has it now, and this subscription's own plan again after `endsAt`.
   */
  comped: { plan: string; planName: string; endsAt: Date } | null;
  /** The product's other self-serve plans, for "Change plan". */
  otherPlans: TBillingPlanOption[];
}

const PAYMENT_PROBLEM = 'Payment failed — update your payment method.';

/** The column's CHECK allows only the contract's statuses; anything else would not be live. */
const toStatus = (status: string): TSubscriptionStatus =>
  isSubscriptionStatus(status) ? status : 'canceled';

const humanize = (plan: string) =>
  plan
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

const STATUS_ORDER: Record<TSubscriptionStatus, number> = { past_due: 0, active: 1, canceled: 2 };

/** The running comp for the row's app when it gives more than the row: a later plan in the catalog, or any plan
 * when the row is canceled (the entitlement's own rule, resolveEntitlement). */
function betterComp(
  plans: readonly { id: string; name: string }[],
  row: { appId: string; plan: string },
  status: TSubscriptionStatus,
  comps: { appId: string; plan: string; endsAt: Date }[],
): TBillingSubscription['comped'] {
  const comp = comps.find((c) => c.appId === row.appId);
  const index = plans.findIndex((p) => p.id === comp?.plan);
  if (!comp || index < 0) return null;
  const better = status === 'canceled' || index > plans.findIndex((p) => p.id === row.plan);
  return better ? { plan: comp.plan, planName: plans[index]?.name ?? comp.plan, endsAt: comp.endsAt } : null;
}

/**
 * Every hub."Subscription" row of the user, across apps, in the words of the catalog. It reads only the database:
 * the webhook and provisioning keep the rows current, so the billing page never waits on Stripe.
 */
export async function listBillingSubscriptions(
  db: TDatabase,
  { userId, organizationId, now = new Date() }: { userId: string; organizationId?: string; now?: Date },
): Promise<TBillingSubscription[]> {
  const rows = await db
    .select({
      subscription: schema.subscription,
      appName: schema.app.name,
      appSlug: schema.app.slug,
      sortOrder: schema.app.sortOrder,
    })
    .from(schema.subscription)
    .leftJoin(schema.app, eq(schema.app.id, schema.subscription.appId))
    // A business account's subscriptions (issue 15) when one is active in the header, else the person's.
    .where(
      organizationId
        ? eq(schema.subscription.organizationId, organizationId)
        : eq(schema.subscription.userId, userId),
    )
    .orderBy(asc(schema.app.sortOrder), asc(schema.subscription.appId));

  // A comp belongs to a person; a business account's billing shows its own subscriptions only.
  const comps = organizationId
    ? []
    : await db
        .select({ appId: schema.comp.appId, plan: schema.comp.plan, endsAt: schema.comp.endsAt })
        .from(schema.comp)
        .where(
          and(
            eq(schema.comp.userId, userId),
            isNull(schema.comp.revokedAt),
            lte(schema.comp.startsAt, now),
            gt(schema.comp.endsAt, now),
          ),
        )
        .orderBy(desc(schema.comp.endsAt));

  const list = rows.map(({ subscription: row, appName, appSlug }): TBillingSubscription => {
    const product = findProductByAppId(row.appId);
    const catalogPlan = product?.plans.find((p) => p.id === row.plan);
    const status = toStatus(row.status);
    const grandfathered = row.grandfatheredPriceCents !== null;
    return {
      appId: row.appId,
      productSlug: product?.slug ?? appSlug ?? row.appId,
      productName: product?.name ?? appName ?? row.appId,
      plan: row.plan,
      planName: catalogPlan?.name ?? humanize(row.plan),
      status,
      state: describePlanState({ appId: row.appId, subscription: row, now }),
      priceCents: row.grandfatheredPriceCents ?? catalogPlan?.priceCents ?? null,
      grandfathered,
      currentPeriodEnd: row.currentPeriodEnd,
      trialEndsAt: status === 'canceled' ? null : row.trialEndsAt,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      scheduledChange:
        status !== 'canceled' && row.scheduledPlan && row.scheduledPlanAt
          ? {
              planName:
                product?.plans.find((p) => p.id === row.scheduledPlan)?.name ?? humanize(row.scheduledPlan),
              at: row.scheduledPlanAt,
            }
          : null,
      paymentProblem: status === 'past_due' ? PAYMENT_PROBLEM : null,
      managedByStripe: row.stripeSubscriptionId !== null,
      comped: betterComp(product?.plans ?? [], row, status, comps),
      otherPlans: (product?.plans ?? []).flatMap((p) =>
        // A business account changes among business plans only.
        p.id !== row.plan && p.priceCents !== null && (!organizationId || p.audience === 'business')
          ? [{ id: p.id, name: p.name, priceCents: p.priceCents }]
          : [],
      ),
    };
  });
  // Problems first, then what the user has, then what they had; the query already ordered by product.
  return list.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}
