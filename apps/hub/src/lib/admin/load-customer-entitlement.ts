import {
  resolveEntitlement,
  SVD_APP_ID,
  type TEntitlement,
  type TEntitlementSubscription,
} from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, sql } from 'drizzle-orm';
import { billingEventCustomer } from './billing-event-customer';
import { describeEntitlementReason } from './describe-entitlement-reason';

export interface TCustomerEntitlement {
  /** Exactly what SVD computes for this customer now (resolveEntitlement from @omg/contract, the same inputs). */
  entitlement: TEntitlement;
  /** Why, in words for staff. */
  reason: string;
  /** The hub."Subscription" row's fields the entitlement was resolved from; null without a row. */
  subscription: TEntitlementSubscription | null;
  /** When SVD's free trial started (the customer first opened SVD); null if never. */
  svdFirstUsedAt: Date | null;
  /** First failed payment since the last paid invoice, when the subscription is past due. */
  pastDueSince: Date | null;
}

/**
 * "Why does this customer have access?" (issue 14): reads what SVD reads on every request — the customer's
 * hub."Subscription" row for app_securevault and when securevault."UserProfile" was created (the Hub's role may
 * read just that column) — and resolves it with SVD's own code. Without a profile SVD counts the trial from now
 * (the first request creates the profile), so this does too.
 */
export async function loadCustomerEntitlement(
  db: TDatabase,
  userId: string,
  now = new Date(),
): Promise<TCustomerEntitlement> {
  const { subscription: s, userProfile: p, comp: c } = schema;
  const at = now.toISOString();
  const [row] = await db
    .select({
      plan: s.plan,
      status: s.status,
      trialEndsAt: s.trialEndsAt,
      currentPeriodEnd: s.currentPeriodEnd,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      scheduledPlan: s.scheduledPlan,
      scheduledPlanAt: s.scheduledPlanAt,
      stripeCustomerId: s.stripeCustomerId,
      profileCreatedAt: p.createdAt,
      // The running comp, exactly as SVD's getVaultStatus reads it.
      comp: sql<
        [string, number] | null
      >`(select json_build_array(${c.plan}, extract(epoch from ${c.endsAt}) * 1000)
        from ${c} where ${c.userId} = ${userId} and ${c.appId} = ${SVD_APP_ID} and ${c.revokedAt} is null
          and ${c.startsAt} <= ${at}::timestamp and ${c.endsAt} > ${at}::timestamp
        order by ${c.endsAt} desc limit 1)`,
    })
    .from(sql`(select 1) as "one"`)
    .leftJoin(p, eq(p.userId, userId))
    .leftJoin(s, and(eq(s.userId, userId), eq(s.appId, SVD_APP_ID)));
  const subscription: TEntitlementSubscription | null =
    row?.plan && row.status
      ? {
          plan: row.plan,
          status: row.status,
          trialEndsAt: row.trialEndsAt,
          currentPeriodEnd: row.currentPeriodEnd,
          cancelAtPeriodEnd: row.cancelAtPeriodEnd ?? false,
          scheduledPlan: row.scheduledPlan,
          scheduledPlanAt: row.scheduledPlanAt,
        }
      : null;
  const svdFirstUsedAt = row?.profileCreatedAt ?? null;
  const entitlement = resolveEntitlement({
    subscription,
    comp: row?.comp ? { plan: row.comp[0], endsAt: new Date(Number(row.comp[1])) } : null,
    profileCreatedAt: svdFirstUsedAt ?? now,
    now,
  });
  const pastDueSince =
    entitlement.state === 'past_due' && row?.stripeCustomerId
      ? await firstFailureSinceLastPayment(db, row.stripeCustomerId)
      : null;
  return {
    entitlement,
    reason: describeEntitlementReason({ entitlement, subscription, svdFirstUsedAt, pastDueSince }),
    subscription,
    svdFirstUsedAt,
    pastDueSince,
  };
}

/** The earliest invoice.payment_failed after the customer's latest invoice.paid (Stripe's event times). */
async function firstFailureSinceLastPayment(db: TDatabase, stripeCustomerId: string): Promise<Date | null> {
  const e = schema.billingEvent;
  const [found] = await db
    .select({ since: sql<Date | null>`min(${e.stripeCreatedAt})`.mapWith(e.stripeCreatedAt) })
    .from(e)
    .where(
      and(
        eq(billingEventCustomer, stripeCustomerId),
        eq(e.type, 'invoice.payment_failed'),
        sql`${e.stripeCreatedAt} > coalesce((select max(paid."stripeCreatedAt") from ${e} paid
          where (paid."payload" #>> '{data,object,customer}') = ${stripeCustomerId}
            and paid."type" = 'invoice.paid'), '-infinity'::timestamp)`,
      ),
    );
  return found?.since ?? null;
}
