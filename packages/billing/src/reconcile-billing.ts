import { findPlanByLookupKey, isLiveStripeStatus } from '@omg/contract';
import { schema, type TDatabase, type TSubscriptionRow } from '@omg/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { idOf } from './id-of';
import { isResourceMissing } from './is-resource-missing';
import { provisionSubscription } from './provision-subscription';
import { planItemOf } from './subscription-items';

const ZReconcileOptionsSchema = z.object({
  apply: z.boolean(),
  /** One customer only (the operator's console, issue 14): their rows and their Stripe customers. */
  userId: z.string().min(1).optional(),
});

/** The columns provisioning writes from Stripe: a difference in any of them is drift. */
const COMPARED = [
  'userId',
  'plan',
  'status',
  'stripeCustomerId',
  'stripePriceId',
  'currentPeriodEnd',
  'trialEndsAt',
  'cancelAtPeriodEnd',
  'scheduledPlan',
  'scheduledPlanAt',
] as const satisfies readonly (keyof TSubscriptionRow)[];

type TComparable = string | number | boolean | null;

export interface TDriftChange {
  field: (typeof COMPARED)[number];
  database: TComparable;
  stripe: TComparable;
}

export interface TDrift {
  userId: string | null;
  appId: string;
  stripeSubscriptionId: string;
  changes: TDriftChange[];
  repaired: boolean;
}

export interface TMissingSubscription {
  /** The person whose customer it is; null for a business account's, which names `organizationId` (issue 15). */
  userId: string | null;
  organizationId?: string;
  appId: string;
  stripeCustomerId: string;
  stripeSubscriptionId: string;
  status: Stripe.Subscription.Status;
  repaired: boolean;
  /** Why provisioning did not write it, when `apply` tried. */
  note?: string;
}

export interface TDuplicateGroup {
  /** As in TMissingSubscription: a person's, or a business account's with `organizationId`. */
  userId: string | null;
  organizationId?: string;
  appId: string;
  subscriptions: Array<{
    stripeSubscriptionId: string;
    stripeCustomerId: string;
    status: Stripe.Subscription.Status;
    createdAt: Date;
    /** The one hub."Subscription" tracks, if any. */
    tracked: boolean;
  }>;
}

/** A row that could not be compared (its subscription vanished from Stripe, its price left the catalog, …). */
export interface TReconcileProblem {
  stripeSubscriptionId: string | null;
  userId: string | null;
  appId: string | null;
  reason: string;
}

export interface TReconcileReport {
  apply: boolean;
  checked: number;
  drifted: TDrift[];
  repaired: number;
  missing: TMissingSubscription[];
  duplicates: TDuplicateGroup[];
  problems: TReconcileProblem[];
}

const comparable = (value: unknown): TComparable =>
  value instanceof Date ? value.toISOString() : ((value ?? null) as TComparable);

/**
 * What provisioning would write, without writing it: the same function decides and rolls its write back, so a
 * dry run and `apply` can never disagree about what drift is. Stripe is read before its transaction begins.
 */
function previewProvision(db: TDatabase, stripe: Stripe, stripeSubscriptionId: string) {
  return provisionSubscription(db, stripe, { stripeSubscriptionId }, { dryRun: true });
}

function changesBetween(row: TSubscriptionRow, next: TSubscriptionRow): TDriftChange[] {
  return COMPARED.flatMap((field) => {
    const database = comparable(row[field]);
    const stripe = comparable(next[field]);
    return database === stripe ? [] : [{ field, database, stripe }];
  });
}

/** Whose a Stripe customer is: a person's, or a business account's (issue 15). */
interface TCustomerOwner {
  userId: string | null;
  organizationId: string | null;
}

/**
 * Every Stripe customer the Hub knows, with its owner: hub."Customer" and the customers on subscription rows. An
 * organization's customer is checked for duplicates and missed subscriptions as a person's is.
 */
async function knownCustomers(
  db: TDatabase,
  rows: TSubscriptionRow[],
  userId: string | undefined,
): Promise<Map<string, TCustomerOwner>> {
  const customers = new Map<string, TCustomerOwner>();
  for (const row of rows) {
    if (row.stripeCustomerId && (row.userId || row.organizationId)) {
      customers.set(row.stripeCustomerId, { userId: row.userId, organizationId: row.organizationId });
    }
  }
  // hub."Customer" is the authority on whose customer it is, so it wins over a row.
  const known = userId
    ? await db.select().from(schema.customer).where(eq(schema.customer.userId, userId))
    : await db.select().from(schema.customer);
  for (const c of known) {
    customers.set(c.stripeCustomerId, { userId: c.userId, organizationId: c.organizationId });
  }
  return customers;
}

/**
 * SPEC §5 reconciliation: compares hub."Subscription" with Stripe and reports (and with `apply`, repairs) what
 * missed webhooks left behind. Repairs go through `provisionSubscription`, the webhook's own path, so they obey the
 * same rules (plan from the catalog, no resurrection, duplicates refused). Nothing is ever written to Stripe:
 * customers with two live subscriptions to one app are listed for a person to decide, never merged.
 */
export async function reconcileBilling(
  db: TDatabase,
  stripe: Stripe,
  options: { apply: boolean; userId?: string },
): Promise<TReconcileReport> {
  const { apply, userId: onlyUserId } = ZReconcileOptionsSchema.parse(options);
  const report: TReconcileReport = {
    apply,
    checked: 0,
    drifted: [],
    repaired: 0,
    missing: [],
    duplicates: [],
    problems: [],
  };

  const rows = await db
    .select()
    .from(schema.subscription)
    .where(
      and(
        isNotNull(schema.subscription.stripeSubscriptionId),
        onlyUserId ? eq(schema.subscription.userId, onlyUserId) : undefined,
      ),
    );
  for (const row of rows) {
    const stripeSubscriptionId = row.stripeSubscriptionId ?? '';
    report.checked += 1;
    const preview = await previewProvision(db, stripe, stripeSubscriptionId);
    if (preview.outcome === 'unchanged') continue;
    // `duplicate` lands here too, reported and never resolved: reconciliation writes nothing to Stripe, and the
    // webhook or the success page (provisionAndResolve) is where a second subscription is canceled and refunded.
    if (preview.outcome !== 'provisioned' || !preview.subscription) {
      report.problems.push({
        stripeSubscriptionId,
        userId: row.userId,
        appId: row.appId,
        reason: preview.reason ?? `Provisioning would report ${preview.outcome}.`,
      });
      continue;
    }
    let repaired = false;
    if (apply) {
      const result = await provisionSubscription(db, stripe, { stripeSubscriptionId });
      repaired = result.outcome === 'provisioned';
    }
    if (repaired) report.repaired += 1;
    report.drifted.push({
      userId: row.userId,
      appId: row.appId,
      stripeSubscriptionId,
      changes: changesBetween(row, preview.subscription),
      repaired,
    });
  }

  const tracked = new Set(rows.map((r) => r.stripeSubscriptionId));
  const live = new Map<string, Array<{ subscription: Stripe.Subscription; customerId: string }>>();
  for (const [customerId, owner] of await knownCustomers(db, rows, onlyUserId)) {
    let subscriptionsOfCustomer: Stripe.Subscription[];
    try {
      subscriptionsOfCustomer = await stripe.subscriptions
        .list({ customer: customerId, status: 'all', limit: 100, expand: ['data.items.data.price'] })
        .autoPagingToArray({ limit: 10_000 });
    } catch (error) {
      // A customer deleted in Stripe (or from another account) must not stop the rest of the report.
      if (!isResourceMissing(error)) throw error;
      report.problems.push({
        stripeSubscriptionId: null,
        userId: owner.userId,
        appId: null,
        reason: `Customer ${customerId} does not exist in Stripe.`,
      });
      continue;
    }
    for (const subscription of subscriptionsOfCustomer) {
      if (!isLiveStripeStatus(subscription.status)) continue;
      const lookupKey = planItemOf(subscription)?.price.lookup_key;
      const appId = lookupKey ? findPlanByLookupKey(lookupKey)?.product.appId : undefined;
      if (!appId) continue; // Not a Hub product: nothing the Hub provisions.
      const key = JSON.stringify([owner.userId, owner.organizationId, appId]);
      live.set(key, [...(live.get(key) ?? []), { subscription, customerId }]);
    }
  }

  for (const [key, subscriptions] of live) {
    const [userId, organizationId, appId] = JSON.parse(key) as [string | null, string | null, string];
    if (subscriptions.length > 1) {
      report.duplicates.push({
        userId,
        ...(organizationId ? { organizationId } : {}),
        appId,
        subscriptions: subscriptions
          .map(({ subscription, customerId }) => ({
            stripeSubscriptionId: subscription.id,
            stripeCustomerId: customerId,
            status: subscription.status,
            createdAt: new Date(subscription.created * 1000),
            tracked: tracked.has(subscription.id),
          }))
          // Oldest first, and the tracked one first within a second: the order a person would keep them in.
          .sort(
            (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(b.tracked) - Number(a.tracked),
          ),
      });
      continue;
    }
    const [only] = subscriptions;
    if (!only || tracked.has(only.subscription.id)) continue;
    const missing: TMissingSubscription = {
      userId,
      ...(organizationId ? { organizationId } : {}),
      appId,
      stripeCustomerId: idOf(only.subscription.customer) ?? only.customerId,
      stripeSubscriptionId: only.subscription.id,
      status: only.subscription.status,
      repaired: false,
    };
    if (apply) {
      const result = await provisionSubscription(db, stripe, { stripeSubscriptionId: only.subscription.id });
      missing.repaired = result.outcome === 'provisioned';
      if (!missing.repaired && result.reason) missing.note = result.reason;
      if (missing.repaired) report.repaired += 1;
    }
    report.missing.push(missing);
  }
  return report;
}
