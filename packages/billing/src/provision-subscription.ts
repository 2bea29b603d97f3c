import { randomUUID } from 'node:crypto';
import { findPlanByLookupKey, findProductByAppId, isLiveHubStatus } from '@omg/contract';
import {
  findOwnedSubscription,
  schema,
  subscriptionChangeCauseSettings,
  type TBillingOwner,
  type TDatabase,
  type TSubscriptionRow,
  type TTransaction,
  withAdvisoryLock,
} from '@omg/db';
import { eq, isNotNull, sql, TransactionRollbackError } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { idOf } from './id-of';
import { orNullIfMissing } from './is-resource-missing';
import { mapStripeStatus } from './map-stripe-status';
import { extraSeatsOf, planItemOf } from './subscription-items';

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
  /** An organization's checkout (issue 15): the subscription is the organization's, not the buyer's. */
  organizationId: z.string().min(1).optional(),
  appId: z.string().min(1).optional(),
});

/** The advisory lock every writer of one owner's row for one app takes (a person's key is unchanged). */
export const entitlementLockKey = (owner: TBillingOwner, appId: string) =>
  owner.organizationId !== undefined
    ? `entitlement:org:${owner.organizationId}:${appId}`
    : `entitlement:${owner.userId}:${appId}`;

const describeOwner = (owner: TBillingOwner) =>
  owner.organizationId !== undefined ? `Organization ${owner.organizationId}` : `User ${owner.userId}`;

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
  tx: TDatabase,
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
  | 'extraSeats'
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
    sameTime(row.scheduledPlanAt, values.scheduledPlanAt) &&
    row.extraSeats === values.extraSeats
  );
}

/** Reads of one subscription that found its row held by another live one, before giving up (a retry follows). */
const MAX_PASSES = 3;

/**
 * A number from hub."StripeReadTicket", taken just before a Stripe read: a read that starts later gets a larger
 * one, and so saw Stripe at least as late (a change made after it comes with its own event and its own ticket).
 */
async function takeReadTicket(db: TDatabase): Promise<number> {
  const result = await db.execute<{ ticket: string }>(
    sql`SELECT nextval('hub."StripeReadTicket"')::text AS ticket`,
  );
  const ticket = Number(result.rows[0]?.ticket);
  if (!Number.isSafeInteger(ticket)) throw new Error('hub."StripeReadTicket" gave no ticket');
  return ticket;
}

/**
 * The owner lookup, built once per database handle and prepared once per connection (a named statement): it runs
 * for every webhook event, and drizzle's building of it alone cost about 0.15 ms.
 */
const prepareOwnerLookup = (db: TDatabase) =>
  db
    .select({
      knownUserId: schema.customer.userId,
      knownOrganizationId: schema.customer.organizationId,
      organizationExists: sql<boolean>`EXISTS (SELECT 1 FROM ${schema.organization}
        WHERE ${schema.organization.id} = coalesce(${sql.placeholder('metadataOrganizationId')}::text, ${schema.customer.organizationId}))`,
      userExists: sql<boolean>`EXISTS (SELECT 1 FROM ${schema.user}
        WHERE ${schema.user.id} = coalesce(${sql.placeholder('metadataUserId')}::text, ${schema.customer.userId}))`,
    })
    // One row whether or not the customer is known.
    .from(sql`(SELECT 1) AS "one"`)
    .leftJoin(schema.customer, eq(schema.customer.stripeCustomerId, sql.placeholder('stripeCustomerId')))
    .prepare('billing_find_owner');
const preparedOwnerLookups = new WeakMap<TDatabase, ReturnType<typeof prepareOwnerLookup>>();

/**
 * Who a subscription may belong to, in one round trip: the Hub's record of its Stripe customer, and whether the
 * organization and the user that metadata or that record name exist (the metadata's id wins, as the caller
 * decides). Read before the lock, like everything decided from Stripe's answer.
 */
async function findOwner(
  db: TDatabase,
  input: { stripeCustomerId: string; metadataUserId?: string; metadataOrganizationId?: string },
): Promise<{
  knownUserId: string | null;
  knownOrganizationId: string | null;
  organizationExists: boolean;
  userExists: boolean;
}> {
  const lookup = preparedOwnerLookups.get(db) ?? prepareOwnerLookup(db);
  preparedOwnerLookups.set(db, lookup);
  const [found] = await lookup.execute({
    stripeCustomerId: input.stripeCustomerId,
    metadataUserId: input.metadataUserId ?? null,
    metadataOrganizationId: input.metadataOrganizationId ?? null,
  });
  if (!found) throw new Error('The owner lookup returned no row.');
  return found;
}

/** What the locked write needs to know of the live subscription that holds the row, read before the lock. */
interface TOtherSubscription {
  id: string;
  live: boolean;
}

type TPassResult = TProvisionResult | { checkLive: string };

export interface TProvisionOptions {
  /** Decide exactly as a real run does and roll the write back (reconciliation's report). */
  dryRun?: boolean;
  /**
   * A number the caller took from hub."StripeReadTicket" after it learned of the change and before this call (the
   * webhook's claim of its event takes one in the same statement): the first read of Stripe uses it instead of
   * taking its own, which would be one more round trip. Any later pass takes a fresh one.
   */
  readTicket?: number;
  /**
   * Runs in the write's transaction, under the lock and before it commits, with the decision made there: what must
   * commit together with the write, or not at all (the webhook marks its event processed there). Not with `dryRun`,
   * and not when nothing was locked (a `skipped` decided from Stripe's answer alone).
   */
  onWrite?: (tx: TTransaction, result: TProvisionResult) => Promise<void>;
}

/**
 * Makes hub."Subscription" match what Stripe says now about one subscription. The webhook (every event type) and
 * the checkout success page call it; it never trusts an event payload beyond the id, so duplicates, any delivery
 * order and late events all converge, and a `deleted` followed by a stale `updated` cannot resurrect access.
 * The plan comes from the price's lookup key in the catalog, never from anything a client sent.
 *
 * Stripe is read before any lock is taken and with no database connection held (a slow Stripe must not hold the
 * pool: ARCHITECTURE.md "Read Stripe, then lock"); the write then takes the (user, app) lock in a short
 * transaction and re-checks what matters: the row's read ticket (an older read never overwrites a newer one)
 * and which subscription the row tracks. When the row turns out to be held by another live subscription, that
 * one is read from Stripe outside the lock and the pass starts again. `dryRun` decides exactly as a real run
 * does and rolls the write back (reconciliation's report).
 */
export async function provisionSubscription(
  db: TDatabase,
  stripe: Stripe,
  { stripeSubscriptionId }: { stripeSubscriptionId: string },
  options: TProvisionOptions = {},
): Promise<TProvisionResult> {
  let otherToCheck: string | null = null;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const ticket =
      pass === 0 && options.readTicket !== undefined ? options.readTicket : await takeReadTicket(db);
    const stripeSubscription = await retrieve(stripe, stripeSubscriptionId);
    const other: TOtherSubscription | null = otherToCheck
      ? { id: otherToCheck, live: await isLiveInStripe(stripe, otherToCheck) }
      : null;
    const result = await writeFromStripe(db, {
      stripeSubscriptionId,
      stripeSubscription,
      ticket,
      other,
      dryRun: options.dryRun ?? false,
      onWrite: options.onWrite,
    });
    if (!('checkLive' in result)) return result;
    otherToCheck = result.checkLive;
  }
  throw new Error(`Provisioning ${stripeSubscriptionId}: the row kept changing hands; it will be retried.`);
}

/** One pass: everything decided from a Stripe read already made, the write in one short locked transaction. */
async function writeFromStripe(
  db: TDatabase,
  input: {
    stripeSubscriptionId: string;
    stripeSubscription: Stripe.Subscription | null;
    ticket: number;
    other: TOtherSubscription | null;
    dryRun: boolean;
    onWrite: TProvisionOptions['onWrite'];
  },
): Promise<TPassResult> {
  const { stripeSubscriptionId, stripeSubscription, ticket, other } = input;
  const skipped = (reason: string): TProvisionResult => ({
    outcome: 'skipped',
    stripeSubscriptionId,
    reason,
  });
  if (!stripeSubscription) return skipped('The subscription does not exist in Stripe.');

  const mapped = mapStripeStatus(stripeSubscription.status);
  if (!mapped) return skipped(`Stripe status "${stripeSubscription.status}" grants no entitlement yet.`);

  const item = planItemOf(stripeSubscription);
  const price = item?.price;
  const pricePlan = item && price ? await planOfPrice(db, price) : undefined;
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
  const metadataUserId = metadata.success ? metadata.data.userId : undefined;
  const metadataOrganizationId = metadata.success ? metadata.data.organizationId : undefined;
  const found = await findOwner(db, { stripeCustomerId, metadataUserId, metadataOrganizationId });
  // An organization's subscription (its checkout's metadata, or its Stripe customer) is the organization's
  // entitlement; anything else is a person's, as before.
  const organizationId = metadataOrganizationId ?? found.knownOrganizationId ?? undefined;
  let owner: TBillingOwner;
  if (organizationId) {
    if (!found.organizationExists) return skipped(`Organization ${organizationId} does not exist.`);
    owner = { organizationId };
  } else {
    const userId = metadataUserId ?? found.knownUserId ?? undefined;
    if (!userId) return skipped('No user: neither metadata.userId nor a known Stripe customer.');
    if (!found.userExists) return skipped(`User ${userId} does not exist.`);
    owner = { userId };
  }

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
    extraSeats: extraSeatsOf(stripeSubscription),
  };
  const isLive = isLiveHubStatus(values.status);

  let decided: TPassResult | undefined;
  try {
    // Serialises every writer of this (owner, app) pair, including the first insert, where no row exists to lock.
    // Nothing in here waits on the network.
    // The history trigger records a change with its cause (the webhook's event, or the Hub action around this call,
    // else 'hub' + 'provision'); set in the lock's own statement, as it only matters once something is written.
    const cause = subscriptionChangeCauseSettings({ source: 'hub', sourceRef: 'provision' });
    decided = await withAdvisoryLock(
      db,
      entitlementLockKey(owner, appId),
      async (tx) => {
        const result = await writeRow(tx, {
          stripeSubscriptionId,
          owner,
          appId,
          values,
          isLive,
          ticket,
          other,
          stripeSubscription,
        });
        if (input.dryRun) {
          decided = result;
          tx.rollback();
        }
        if (!('checkLive' in result)) await input.onWrite?.(tx, result);
        return result;
      },
      { alsoSelect: cause },
    );
  } catch (error) {
    if (!(input.dryRun && error instanceof TransactionRollbackError && decided)) throw error;
  }
  if (!decided) throw new Error(`Provisioning ${stripeSubscriptionId} decided nothing.`);
  return decided;
}

async function writeRow(
  tx: TTransaction,
  input: {
    stripeSubscriptionId: string;
    owner: TBillingOwner;
    appId: string;
    values: TRowValues;
    isLive: boolean;
    ticket: number;
    other: TOtherSubscription | null;
    stripeSubscription: Stripe.Subscription;
  },
): Promise<TPassResult> {
  const { stripeSubscriptionId, owner, appId, values, isLive, ticket, other } = input;
  const skipped = (reason: string): TProvisionResult => ({
    outcome: 'skipped',
    stripeSubscriptionId,
    reason,
  });
  const row = await findOwnedSubscription(tx, { owner, appId });

  if (row && row.stripeSubscriptionId !== stripeSubscriptionId) {
    if (!isLive) {
      return skipped('An ended subscription that is not the one this row tracks changes nothing.');
    }
    // The row may lag behind a cancellation we never heard of: ask Stripe before calling this a duplicate. That
    // read happens outside this lock (the pass is retried with its answer) unless it was made for this very row.
    if (isLiveHubStatus(row.status) && row.stripeSubscriptionId !== null) {
      if (other?.id !== row.stripeSubscriptionId) return { checkLive: row.stripeSubscriptionId };
      if (other.live) {
        return {
          outcome: 'duplicate',
          stripeSubscriptionId,
          subscription: row,
          keptStripeSubscriptionId: row.stripeSubscriptionId,
          reason: `${describeOwner(owner)} already has live subscription ${row.stripeSubscriptionId} to ${appId}.`,
        } satisfies TProvisionResult;
      }
    }
  }
  if (!row && input.stripeSubscription.status === 'incomplete_expired') {
    return skipped('The first payment never arrived; there is no access to take away.');
  }
  const tracksThis = row?.stripeSubscriptionId === stripeSubscriptionId;
  if (row && tracksThis && row.stripeReadTicket !== null && row.stripeReadTicket > ticket) {
    // Another delivery read Stripe after this one did and has written what it saw: this read is older.
    return {
      outcome: 'unchanged',
      stripeSubscriptionId,
      subscription: row,
      reason: 'A later read of this subscription was written already.',
    } satisfies TProvisionResult;
  }
  if (row && isUnchanged(row, values)) {
    // Still the newest read: recorded, so an older read finishing after this one cannot overwrite the row.
    const [current] = tracksThis
      ? await tx
          .update(schema.subscription)
          .set({ stripeReadTicket: ticket })
          .where(eq(schema.subscription.id, row.id))
          .returning()
      : [row];
    return {
      outcome: 'unchanged',
      stripeSubscriptionId,
      subscription: current ?? row,
    } satisfies TProvisionResult;
  }

  const now = new Date();
  // A migrated customer's grandfathered price lasts only while the subscription is on that price: a plan change
  // made anywhere (the Hub's billing page, Stripe's customer portal) moves it to another price, and the catalog
  // price applies from then on. A row that never had a Stripe price (migrated without Stripe) keeps it.
  const leavesGrandfatheredPrice =
    row?.grandfatheredPriceCents != null &&
    row.stripePriceId !== null &&
    row.stripePriceId !== values.stripePriceId;
  const changes = { ...values, ...(leavesGrandfatheredPrice ? { grandfatheredPriceCents: null } : {}) };
  const [saved] = await tx
    .insert(schema.subscription)
    .values({
      id: randomUUID(),
      userId: owner.userId ?? null,
      organizationId: owner.organizationId ?? null,
      appId,
      ...values,
      stripeReadTicket: ticket,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate(
      owner.organizationId !== undefined
        ? {
            // The partial unique index (organizationId, appId) WHERE organizationId IS NOT NULL.
            target: [schema.subscription.organizationId, schema.subscription.appId],
            targetWhere: isNotNull(schema.subscription.organizationId),
            set: { ...changes, stripeReadTicket: ticket, updatedAt: now },
          }
        : {
            target: [schema.subscription.userId, schema.subscription.appId],
            set: { ...changes, stripeReadTicket: ticket, updatedAt: now },
          },
    )
    .returning();
  return {
    outcome: 'provisioned',
    stripeSubscriptionId,
    subscription: saved,
  } satisfies TProvisionResult;
}
