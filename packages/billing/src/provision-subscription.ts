import { randomUUID } from 'node:crypto';
import { findPlanByLookupKey, findProductByAppId, isLiveHubStatus } from '@omg/contract';
import {
  findSubscription,
  schema,
  type TDatabase,
  type TSubscriptionRow,
  type TTransaction,
  withAdvisoryLock,
} from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { idOf } from './id-of';
import { orNullIfMissing } from './is-resource-missing';
import { mapStripeStatus } from './map-stripe-status';

export type TProvisionOutcome = 'provisioned' | 'unchanged' | 'skipped' | 'duplicate';

export interface TProvisionResult {
  outcome: TProvisionOutcome;
  stripeSubscriptionId: string;
  subscription?: TSubscriptionRow;
  reason?: string;
  /** With `duplicate`: the live Stripe subscription the row keeps. */
  keptStripeSubscriptionId?: string;
}

const ZSubscriptionMetadataSchema = z.object({
  userId: z.string().min(1).optional(),
  appId: z.string().min(1).optional(),
});

const toDate = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

const retrieve = (stripe: Stripe, id: string) =>
  orNullIfMissing(stripe.subscriptions.retrieve(id, { expand: ['items.data.price'] }));

/** Whether Stripe itself still considers a subscription live; our row may lag behind a missed webhook. */
async function isLiveInStripe(stripe: Stripe, id: string): Promise<boolean> {
  const other = await retrieve(stripe, id);
  const mapped = other ? mapStripeStatus(other.status) : null;
  return isLiveHubStatus(mapped?.status);
}

/**
 * A downgrade at period end is the new price already on the subscription (so the renewal bills it) plus
 * `keepPlan` / `keepPlanUntil` in its metadata: the user keeps the plan they paid for until the period that
 * began before the change is over. Reading Stripe's period (not our clock) makes it follow the emulator's clock too.
 */
function heldPlan(
  subscription: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  plans: readonly { id: string }[],
): { plan: string; until: Date } | null {
  const plan = subscription.metadata?.keepPlan;
  const until = Number(subscription.metadata?.keepPlanUntil);
  if (!plan || !Number.isFinite(until) || !plans.some((p) => p.id === plan)) return null;
  return item.current_period_start < until ? { plan, until: new Date(until * 1000) } : null;
}

/**
 * Which app and plan a Stripe price stands for: the catalog's by lookup key, else the plan the SVD migration
 * recorded for a pre-Hub price in hub."LegacyPrice" (SPEC §7). A price in neither stays unknown: no guess.
 */
async function planOfPrice(
  tx: TTransaction,
  price: Stripe.Price,
): Promise<{ appId: string; planId: string; plans: readonly { id: string }[] } | undefined> {
  const catalogEntry = price.lookup_key ? findPlanByLookupKey(price.lookup_key) : undefined;
  if (catalogEntry) {
    const { product, plan } = catalogEntry;
    return { appId: product.appId, planId: plan.id, plans: product.plans };
  }
  const [legacy] = await tx
    .select({ appId: schema.legacyPrice.appId, plan: schema.legacyPrice.plan })
    .from(schema.legacyPrice)
    .where(eq(schema.legacyPrice.stripePriceId, price.id));
  if (!legacy) return undefined;
  return { appId: legacy.appId, planId: legacy.plan, plans: findProductByAppId(legacy.appId)?.plans ?? [] };
}

type TRowValues = Pick<
  TSubscriptionRow,
  | 'plan'
  | 'status'
  | 'stripeSubscriptionId'
  | 'stripeCustomerId'
  | 'stripePriceId'
  | 'currentPeriodEnd'
  | 'trialEndsAt'
  | 'cancelAtPeriodEnd'
  | 'scheduledPlan'
  | 'scheduledPlanAt'
>;

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function isUnchanged(row: TSubscriptionRow, values: TRowValues): boolean {
  return (
    row.plan === values.plan &&
    row.status === values.status &&
    row.stripeSubscriptionId === values.stripeSubscriptionId &&
    row.stripeCustomerId === values.stripeCustomerId &&
    row.stripePriceId === values.stripePriceId &&
    row.cancelAtPeriodEnd === values.cancelAtPeriodEnd &&
    sameTime(row.currentPeriodEnd, values.currentPeriodEnd) &&
    sameTime(row.trialEndsAt, values.trialEndsAt) &&
    row.scheduledPlan === values.scheduledPlan &&
    sameTime(row.scheduledPlanAt, values.scheduledPlanAt)
  );
}

/**
 * Makes hub."Subscription" match what Stripe says now about one subscription. The webhook (every event type) and
 * the checkout success page call it; it never trusts an event payload beyond the id, so duplicates, any delivery
 * order and late events all converge, and a `deleted` followed by a stale `updated` cannot resurrect access.
 * The plan comes from the price's lookup key in the catalog, never from anything a client sent.
 */
export async function provisionSubscription(
  db: TDatabase,
  stripe: Stripe,
  { stripeSubscriptionId }: { stripeSubscriptionId: string },
): Promise<TProvisionResult> {
  const skipped = (reason: string): TProvisionResult => ({
    outcome: 'skipped',
    stripeSubscriptionId,
    reason,
  });

  // Two deliveries for the same subscription take turns, and each reads Stripe only once it holds the lock:
  // the later writer always carries the newer state, whatever order the events arrived in.
  return withAdvisoryLock(db, `subscription:${stripeSubscriptionId}`, async (tx) => {
    const stripeSubscription = await retrieve(stripe, stripeSubscriptionId);
    if (!stripeSubscription) return skipped('The subscription does not exist in Stripe.');

    const mapped = mapStripeStatus(stripeSubscription.status);
    if (!mapped) return skipped(`Stripe status "${stripeSubscription.status}" grants no entitlement yet.`);

    const item = stripeSubscription.items.data[0];
    const price = item?.price;
    const pricePlan = item && price ? await planOfPrice(tx, price) : undefined;
    if (!item || !price || !pricePlan) {
      return skipped(
        `The subscription's price (${price?.lookup_key ?? price?.id ?? 'none'}) is not in the catalog nor a recorded legacy price.`,
      );
    }

    const stripeCustomerId = idOf(stripeSubscription.customer);
    if (!stripeCustomerId) return skipped('The subscription has no customer.');
    const metadata = ZSubscriptionMetadataSchema.safeParse(stripeSubscription.metadata ?? {});
    const appId = pricePlan.appId;
    if (metadata.success && metadata.data.appId && metadata.data.appId !== appId) {
      return skipped(`The metadata names ${metadata.data.appId} but the price belongs to ${appId}.`);
    }
    const [known] = await tx
      .select({ userId: schema.customer.userId })
      .from(schema.customer)
      .where(eq(schema.customer.stripeCustomerId, stripeCustomerId));
    const userId = (metadata.success ? metadata.data.userId : undefined) ?? known?.userId;
    if (!userId) return skipped('No user: neither metadata.userId nor a known Stripe customer.');
    const [knownUser] = await tx
      .select({ id: schema.user.id })
      .from(schema.user)
      .where(eq(schema.user.id, userId));
    if (!knownUser) return skipped(`User ${userId} does not exist.`);

    const held = heldPlan(stripeSubscription, item, pricePlan.plans);
    const values: TRowValues = {
      plan: held?.plan ?? pricePlan.planId,
      scheduledPlan: held ? pricePlan.planId : null,
      scheduledPlanAt: held?.until ?? null,
      status: mapped.status,
      stripeSubscriptionId,
      stripeCustomerId,
      stripePriceId: price.id,
      currentPeriodEnd: toDate(item.current_period_end),
      trialEndsAt: mapped.trialing ? toDate(stripeSubscription.trial_end) : null,
      cancelAtPeriodEnd: stripeSubscription.cancel_at_period_end,
    };
    const isLive = isLiveHubStatus(values.status);

    // Serialises every writer of this (user, app) pair, including the first insert, where no row exists to lock.
    return withAdvisoryLock(tx, `entitlement:${userId}:${appId}`, async (tx) => {
      const row = await findSubscription(tx, { userId, appId });

      if (row && row.stripeSubscriptionId !== stripeSubscriptionId) {
        if (!isLive) {
          return skipped('An ended subscription that is not the one this row tracks changes nothing.');
        }
        // The row may lag behind a cancellation we never heard of: ask Stripe before calling this a duplicate.
        const heldByLiveSubscription =
          isLiveHubStatus(row.status) &&
          row.stripeSubscriptionId !== null &&
          (await isLiveInStripe(stripe, row.stripeSubscriptionId));
        if (heldByLiveSubscription) {
          return {
            outcome: 'duplicate',
            stripeSubscriptionId,
            subscription: row,
            keptStripeSubscriptionId: row.stripeSubscriptionId ?? undefined,
            reason: `User ${userId} already has live subscription ${row.stripeSubscriptionId} to ${appId}.`,
          } satisfies TProvisionResult;
        }
      }
      if (!row && stripeSubscription.status === 'incomplete_expired') {
        return skipped('The first payment never arrived; there is no access to take away.');
      }
      if (row && isUnchanged(row, values)) {
        return { outcome: 'unchanged', stripeSubscriptionId, subscription: row } satisfies TProvisionResult;
      }

      const now = new Date();
      const [saved] = await tx
        .insert(schema.subscription)
        .values({ id: randomUUID(), userId, appId, ...values, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [schema.subscription.userId, schema.subscription.appId],
          set: { ...values, updatedAt: now },
        })
        .returning();
      return { outcome: 'provisioned', stripeSubscriptionId, subscription: saved } satisfies TProvisionResult;
    });
  });
}
