import { resolveEntitlement, type TEntitlement, type TEntitlementSubscription } from '@omg/contract';
import { entitlementInputsOf, schema, selectEntitlementInputs, type TDatabase } from '@omg/db';
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
 * "Why does this customer have access?" (issue 14): reads what SVD reads on every request, with SVD's own
 * statement (selectEntitlementInputs in @omg/db: the customer's hub."Subscription" row for app_securevault, when
 * securevault."UserProfile" was created — the Hub's role may read just that column — and a running comp), and
 * resolves it with SVD's own code. Without a profile SVD counts the trial from now (the first request creates the
 * profile), so this does too.
 */
export async function loadCustomerEntitlement(
  db: TDatabase,
  userId: string,
  now = new Date(),
): Promise<TCustomerEntitlement> {
  const [row] = await selectEntitlementInputs(db, { userId }, now, {
    stripeCustomerId: schema.subscription.stripeCustomerId,
  });
  const { subscription, comp, profileCreatedAt: svdFirstUsedAt } = entitlementInputsOf(row);
  const entitlement = resolveEntitlement({
    subscription,
    comp,
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
