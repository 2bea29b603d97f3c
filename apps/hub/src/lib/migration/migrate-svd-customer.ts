import { randomUUID } from 'node:crypto';
import { idOf, mapStripeStatus, orNullIfMissing, resolveDuplicateSubscription } from '@omg/billing';
import { findPlanByLookupKey, isLiveHubStatus, isLiveStripeStatus, SVD_APP_ID } from '@omg/contract';
import {
  annotateSubscriptionChange,
  findSubscription,
  schema,
  type TDatabase,
  type TSubscriptionRow,
  type TTransaction,
} from '@omg/db';
import { eq, or, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
// Relative imports only: `npm run svd:migrate` runs this outside Next.js (through maintenance.ts).
import { migrateSimpleLines } from './migrate-simple-lines';
import { accountTypeOf, changedColumns, migratedValues, type TStripeValues } from './migrated-values';
import type { TMigrationConflict, TMigrationHooks, TMigrationRowResult } from './migration.types';
import type { TSvdExportRow } from './svd-export-row';

export interface TMigrateSvdCustomerInput {
  line: number;
  row: TSvdExportRow;
  dryRun: boolean;
  resolveConflicts: boolean;
  hooks?: TMigrationHooks;
}

/** What Stripe says about the export's subscription, read before the row's transaction opens. */
interface TStripeFacts {
  subscription: Stripe.Subscription | null;
  customerId: string | null;
  legacyPrice: { stripePriceId: string; plan: string; monthlyPriceCents: number } | null;
  values: TStripeValues;
}

/** Ends a row's transaction (rolled back) with a reason for the report. */
class RowRejected extends Error {}
/** Rolls back a dry run's transaction once its result is known. */
class DryRunRollback extends Error {
  constructor(readonly result: TMigrationRowResult) {
    super('dry run');
  }
}

/**
 * Thrown inside a row's transaction when it needs an answer from Stripe: the transaction rolls back, the read runs
 * with no connection or lock held (ARCHITECTURE.md "Read Stripe, then lock"), and the row runs again with it.
 */
class NeedsStripeRead extends Error {
  constructor(
    readonly key: string,
    readonly read: () => Promise<unknown>,
  ) {
    super(`needs ${key} from Stripe first`);
  }
}

/** Answers from Stripe read before the row's transaction, by what was asked. */
type TStripeReads = Map<string, unknown>;

function fromStripe<T>(reads: TStripeReads, key: string, read: () => Promise<T>): T {
  if (!reads.has(key)) throw new NeedsStripeRead(key, read);
  return reads.get(key) as T;
}

const toDate = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);
const retrieveSubscription = (stripe: Stripe, id: string) =>
  orNullIfMissing(stripe.subscriptions.retrieve(id, { expand: ['items.data.price'] }));

async function readStripe(stripe: Stripe | null, row: TSvdExportRow): Promise<TStripeFacts | null> {
  if (!row.stripeSubscriptionId && !row.stripeCustomerId) return null;
  if (!stripe) throw new RowRejected('names Stripe ids but Stripe is not configured (STRIPE_SECRET_KEY)');
  if (!row.stripeSubscriptionId) {
    const customer = await orNullIfMissing(stripe.customers.retrieve(row.stripeCustomerId ?? ''));
    if (!customer || customer.deleted) {
      throw new RowRejected(`Stripe customer ${row.stripeCustomerId} does not exist`);
    }
    return {
      subscription: null,
      customerId: customer.id,
      legacyPrice: null,
      values: {
        status: 'active',
        stripePriceId: null,
        currentPeriodEnd: null,
        trialEndsAt: null,
        cancelAtPeriodEnd: false,
      },
    };
  }
  const subscription = await retrieveSubscription(stripe, row.stripeSubscriptionId);
  if (!subscription) throw new RowRejected(`Stripe subscription ${row.stripeSubscriptionId} does not exist`);
  const customerId = idOf(subscription.customer);
  if (row.stripeCustomerId && row.stripeCustomerId !== customerId) {
    throw new RowRejected(
      `Stripe subscription ${subscription.id} belongs to customer ${customerId}, not ${row.stripeCustomerId}`,
    );
  }
  if (subscription.items.data.length !== 1) {
    throw new RowRejected(
      `Stripe subscription ${subscription.id} has ${subscription.items.data.length} items`,
    );
  }
  const item = subscription.items.data[0];
  const price = item?.price;
  if (!item || !price) throw new RowRejected(`Stripe subscription ${subscription.id} has no price`);
  const catalogEntry = price.lookup_key ? findPlanByLookupKey(price.lookup_key) : undefined;
  if (catalogEntry && catalogEntry.product.appId !== SVD_APP_ID) {
    throw new RowRejected(`Stripe subscription ${subscription.id} is for ${catalogEntry.product.name}`);
  }
  if (catalogEntry && catalogEntry.plan.id !== row.plan) {
    throw new RowRejected(
      `Stripe bills ${catalogEntry.plan.id} (${price.lookup_key}) but the export says ${row.plan}`,
    );
  }
  const mapped = mapStripeStatus(subscription.status);
  if (!mapped) {
    throw new RowRejected(`Stripe subscription ${subscription.id} is ${subscription.status}: no payment yet`);
  }
  return {
    subscription,
    customerId,
    legacyPrice: catalogEntry
      ? null
      : { stripePriceId: price.id, plan: row.plan, monthlyPriceCents: row.monthlyPriceCents },
    values: {
      status: mapped.status,
      stripePriceId: price.id,
      currentPeriodEnd: toDate(item.current_period_end),
      trialEndsAt: mapped.trialing ? toDate(subscription.trial_end) : null,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
    },
  };
}

/**
 * Records which plan a legacy price means. The first export line naming the price decides; a later line naming it
 * for another plan is refused, since the webhook can provision only one plan per price on renewals.
 */
async function recordLegacyPrice(
  tx: TDatabase | TTransaction,
  legacy: NonNullable<TStripeFacts['legacyPrice']>,
): Promise<boolean> {
  const inserted = await tx
    .insert(schema.legacyPrice)
    .values({ ...legacy, appId: SVD_APP_ID })
    .onConflictDoNothing()
    .returning({ stripePriceId: schema.legacyPrice.stripePriceId });
  if (inserted.length > 0) return true;
  const [known] = await tx
    .select()
    .from(schema.legacyPrice)
    .where(eq(schema.legacyPrice.stripePriceId, legacy.stripePriceId));
  if (known && (known.appId !== SVD_APP_ID || known.plan !== legacy.plan)) {
    throw new RowRejected(
      `legacy Stripe price ${legacy.stripePriceId} is recorded as ${known.appId} ${known.plan}, the export says ${legacy.plan}`,
    );
  }
  return false;
}

/** Whether a Stripe customer has no live subscription left (unknown without Stripe: then it may bill). */
async function billsNothing(stripe: Stripe | null, stripeCustomerId: string): Promise<boolean> {
  if (!stripe) return false;
  for await (const subscription of stripe.subscriptions.list({ customer: stripeCustomerId, limit: 100 })) {
    if (isLiveStripeStatus(subscription.status)) return false;
  }
  return true;
}

/**
 * A re-run's common case, a line without Stripe ids already migrated as it stands, found with one read and no
 * transaction (nothing is written). Anything else returns null and takes the general path.
 */
async function findUnchanged(
  db: TDatabase,
  { line, row }: TMigrateSvdCustomerInput,
): Promise<TMigrationRowResult | null> {
  const [found] = await db
    .select({ userId: schema.user.id, subscription: schema.subscription })
    .from(schema.user)
    .leftJoin(
      schema.subscription,
      sql`${schema.subscription.userId} = ${schema.user.id} AND ${schema.subscription.appId} = ${SVD_APP_ID}`,
    )
    .where(sql`lower(${schema.user.email}) = ${row.email}`);
  const existing = found?.subscription;
  if (!found || !existing || changedColumns(existing, migratedValues(row, null, null)).length > 0)
    return null;
  return {
    line,
    email: row.email,
    outcome: 'unchanged',
    userId: found.userId,
    userCreated: false,
    plan: existing.plan,
    status: existing.status,
    grandfatheredPriceCents: row.monthlyPriceCents,
    stripeSubscriptionId: null,
  };
}

type TRowWrite =
  | { kind: 'done'; result: TMigrationRowResult }
  | {
      kind: 'conflict';
      userId: string;
      existing: TSubscriptionRow;
      hubSubscription: Stripe.Subscription | null;
    };

/** The row's one transaction: user, customer, legacy price and subscription, or nothing at all. */
async function writeRow(
  tx: TTransaction,
  stripe: Stripe | null,
  { line, row, hooks }: TMigrateSvdCustomerInput,
  facts: TStripeFacts | null,
  reads: TStripeReads,
): Promise<TRowWrite> {
  const now = new Date();
  // Shaped as better-auth's sign-up writes users, without a credential: the welcome's claim link sets a password.
  const [created] = await tx
    .insert(schema.user)
    .values({
      id: randomUUID(),
      email: row.email,
      name: row.name,
      accountType: accountTypeOf(row.plan),
      emailVerified: false,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: schema.user.id });
  const [matched] = created
    ? [created]
    : await tx
        .select({ id: schema.user.id })
        .from(schema.user)
        .where(sql`lower(${schema.user.email}) = ${row.email}`);
  if (!matched) throw new Error(`No user for ${row.email} after inserting it.`);
  const userId = matched.id;

  let existing: TSubscriptionRow | undefined;
  if (!created) {
    // The same lock provisioning takes: a webhook for this user's SVD subscription waits for this row.
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`entitlement:${userId}:${SVD_APP_ID}`}, 0))`,
    );
    existing = await findSubscription(tx, { userId, appId: SVD_APP_ID });
  }

  const exportSubscriptionId = row.stripeSubscriptionId ?? null;
  if (
    existing?.stripeSubscriptionId &&
    existing.stripeSubscriptionId !== exportSubscriptionId &&
    isLiveHubStatus(existing.status)
  ) {
    // The row may lag behind a cancellation the Hub never heard of: Stripe decides whether it still bills.
    const hubId = existing.stripeSubscriptionId;
    const hubSubscription = stripe
      ? fromStripe(reads, `subscription:${hubId}`, () => retrieveSubscription(stripe, hubId))
      : null;
    const hubStillBills = stripe ? isLiveStripeStatus(hubSubscription?.status) : true;
    // A customer without a Stripe subscription in the export pays SVD some other way: that is billing too.
    const exportStillBills = facts?.subscription ? isLiveStripeStatus(facts.subscription.status) : true;
    if (hubStillBills && exportStillBills) return { kind: 'conflict', userId, existing, hubSubscription };
    if (hubStillBills) {
      return {
        kind: 'done',
        result: {
          line,
          email: row.email,
          outcome: 'unchanged',
          userId,
          userCreated: false,
          plan: existing.plan,
          status: existing.status,
          stripeSubscriptionId: existing.stripeSubscriptionId,
          note: `The export's subscription ${exportSubscriptionId} has ended; the Hub's live subscription ${existing.stripeSubscriptionId} stays.`,
        },
      };
    }
  }

  const changes: string[] = [];
  const stripeCustomerId = facts?.customerId ?? row.stripeCustomerId ?? null;
  if (stripeCustomerId) {
    const customers = await tx
      .select()
      .from(schema.customer)
      .where(or(eq(schema.customer.userId, userId), eq(schema.customer.stripeCustomerId, stripeCustomerId)));
    const owner = customers.find((c) => c.stripeCustomerId === stripeCustomerId);
    const mine = customers.find((c) => c.userId === userId);
    if (owner && owner.userId !== userId) {
      throw new RowRejected(
        `Stripe customer ${stripeCustomerId} belongs to another Hub account (${owner.userId})`,
      );
    }
    if (
      mine &&
      mine.stripeCustomerId !== stripeCustomerId &&
      fromStripe(reads, `billsNothing:${mine.stripeCustomerId}`, () =>
        billsNothing(stripe, mine.stripeCustomerId),
      )
    ) {
      // The Hub's own customer was left without a live subscription (a resolved conflict canceled it): the
      // customer SVD billed becomes the user's one Stripe customer, so the portal shows what they pay.
      await tx.update(schema.customer).set({ stripeCustomerId }).where(eq(schema.customer.userId, userId));
      changes.push('customer');
    } else if (mine && mine.stripeCustomerId !== stripeCustomerId) {
      throw new RowRejected(
        `the Hub already knows this user as Stripe customer ${mine.stripeCustomerId}, the export names ${stripeCustomerId}: one customer per user, so move the subscription to ${mine.stripeCustomerId} in Stripe (or correct the export) and run again`,
      );
    }
    if (!mine) {
      await tx.insert(schema.customer).values({ userId, stripeCustomerId });
      changes.push('customer');
    }
  }
  if (facts?.legacyPrice && (await recordLegacyPrice(tx, facts.legacyPrice))) changes.push('legacyPrice');

  const values = migratedValues(row, facts?.values ?? null, stripeCustomerId);
  await annotateSubscriptionChange(tx, { source: 'migration', sourceRef: 'svd-migrate' });
  if (existing) {
    changes.push(...changedColumns(existing, values));
    if (changes.length > 0) {
      await tx
        .update(schema.subscription)
        .set({ ...values, migratedAt: existing.migratedAt ?? now, updatedAt: now })
        .where(eq(schema.subscription.id, existing.id));
    }
  } else {
    await tx.insert(schema.subscription).values({
      id: randomUUID(),
      userId,
      appId: SVD_APP_ID,
      ...values,
      migratedAt: now,
      createdAt: now,
      updatedAt: now,
    });
  }
  const invite = hooks?.sendInvite ? await hooks.sendInvite(tx, { userId }) : undefined;
  return {
    kind: 'done',
    result: {
      line,
      email: row.email,
      outcome: !existing ? 'created' : changes.length > 0 ? 'updated' : 'unchanged',
      userId,
      userCreated: Boolean(created),
      plan: values.plan,
      status: values.status,
      grandfatheredPriceCents: row.monthlyPriceCents,
      stripeSubscriptionId: values.stripeSubscriptionId,
      ...(existing && changes.length > 0 ? { changes } : {}),
      ...(facts?.legacyPrice
        ? { legacyPrice: { stripePriceId: facts.legacyPrice.stripePriceId, plan: row.plan } }
        : {}),
      ...(invite ? { invite } : {}),
    },
  };
}

/**
 * Runs the row's transaction; a dry run always rolls it back, after the result is known. What the row needs from
 * Stripe beyond `facts` is read between attempts, never while the transaction holds its connection and locks.
 */
async function runRow(
  db: TDatabase,
  stripe: Stripe | null,
  input: TMigrateSvdCustomerInput,
  facts: TStripeFacts | null,
): Promise<TRowWrite> {
  const reads: TStripeReads = new Map();
  for (let attempt = 0; attempt < 4; attempt += 1) {
    try {
      return await db.transaction(async (tx) => {
        const write = await writeRow(tx, stripe, input, facts, reads);
        if (input.dryRun && write.kind === 'done') throw new DryRunRollback(write.result);
        return write;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return { kind: 'done', result: error.result };
      if (!(error instanceof NeedsStripeRead)) throw error;
      reads.set(error.key, await error.read());
    }
  }
  throw new Error('The line kept needing more from Stripe; run again.');
}

const ONLY_STRIPE_PAIRS = 'Only two Stripe subscriptions can be resolved automatically.';
const ADVICE_BY_HAND =
  'the customer pays SVD outside Stripe and through the Hub: stop the direct billing (or cancel the Hub subscription on /billing), then run again';

/**
 * `--resolve-conflicts`: the newer of the two subscriptions is canceled and what it charged refunded, through the
 * billing rule for duplicates. The export's subscription is attributed to the user only when Stripe's customer
 * has the same email as the export; otherwise a person decides.
 */
async function resolveConflict(
  db: TDatabase,
  stripe: Stripe,
  facts: TStripeFacts,
  row: TSvdExportRow,
  conflict: TMigrationConflict,
): Promise<TMigrationConflict> {
  const exportSubscription = facts.subscription;
  if (!exportSubscription || !facts.customerId || !conflict.newerStripeSubscriptionId) {
    return { ...conflict, resolutionError: ONLY_STRIPE_PAIRS };
  }
  const customer = await orNullIfMissing(stripe.customers.retrieve(facts.customerId));
  const email = customer && !customer.deleted ? customer.email?.trim().toLowerCase() : undefined;
  if (email !== row.email) {
    return {
      ...conflict,
      resolutionError: `Stripe customer ${facts.customerId} has the email ${email ?? 'none'}, not ${row.email}: resolve it by hand.`,
    };
  }
  // The duplicate rule checks the subscription's app by its price, so a legacy price must be known first.
  if (facts.legacyPrice) await recordLegacyPrice(db, facts.legacyPrice);
  const newer = conflict.newerStripeSubscriptionId;
  const older =
    newer === conflict.hubStripeSubscriptionId ? exportSubscription.id : conflict.hubStripeSubscriptionId;
  const resolution = await resolveDuplicateSubscription(db, stripe, {
    duplicateStripeSubscriptionId: newer,
    keptStripeSubscriptionId: older,
    userId: conflict.userId,
    appId: SVD_APP_ID,
    attributedStripeCustomerId: facts.customerId,
  });
  return {
    ...conflict,
    resolution: {
      canceledStripeSubscriptionId: newer,
      refundedCents: resolution.refundedCents,
      summary: resolution.summary,
    },
  };
}

function describeConflict(
  write: Extract<TRowWrite, { kind: 'conflict' }>,
  facts: TStripeFacts | null,
): TMigrationConflict {
  const hubId = write.existing.stripeSubscriptionId ?? '';
  const exportSubscription = facts?.subscription ?? null;
  if (!exportSubscription) {
    return {
      userId: write.userId,
      hubStripeSubscriptionId: hubId,
      exportStripeSubscriptionId: null,
      newerStripeSubscriptionId: null,
      advice: ADVICE_BY_HAND,
    };
  }
  const hubCreated = write.hubSubscription?.created ?? Number.POSITIVE_INFINITY;
  const newer = exportSubscription.created >= hubCreated ? exportSubscription.id : hubId;
  const kept = newer === hubId ? exportSubscription.id : hubId;
  return {
    userId: write.userId,
    hubStripeSubscriptionId: hubId,
    exportStripeSubscriptionId: exportSubscription.id,
    newerStripeSubscriptionId: newer,
    advice: `two live Stripe subscriptions to SecureVault Docs: run again with --resolve-conflicts to cancel the newer (${newer}) and refund what it charged, keeping ${kept}; or cancel one by hand`,
  };
}

/**
 * Migrates one line of the SVD export (SPEC §7) in one transaction: matches or creates core."User" by email
 * (case-insensitively), records the Stripe customer and a legacy price's plan, and writes hub."Subscription" for
 * SecureVault with source 'svd_direct_migration', the grandfathered price and what Stripe says now about the
 * subscription, so its renewals flow through the webhook. A re-run compares and writes nothing when nothing
 * changed. A customer the Hub already bills for SVD through another subscription is a conflict: reported with
 * both ids, and resolved (newer canceled and refunded) only when asked. A rejected line rolls back and says why.
 */
export async function migrateSvdCustomer(
  db: TDatabase,
  stripe: Stripe | null,
  input: TMigrateSvdCustomerInput,
): Promise<TMigrationRowResult> {
  const { line, row } = input;
  const rejected = (reason: string): TMigrationRowResult => ({
    line,
    email: row.email,
    outcome: 'rejected',
    reason,
  });
  try {
    const facts = await readStripe(stripe, row);
    // Lines without Stripe ids first try one statement (a dry run only the read); an invite must share the
    // row's transaction, so those lines take the general path.
    const simple = !facts && !input.hooks?.sendInvite;
    const quick = simple
      ? input.dryRun
        ? await findUnchanged(db, input)
        : ((await migrateSimpleLines(db, [input]))[0] ?? null)
      : null;
    const write: TRowWrite = quick ? { kind: 'done', result: quick } : await runRow(db, stripe, input, facts);
    let result: TMigrationRowResult;
    if (write.kind === 'conflict') {
      let conflict = describeConflict(write, facts);
      if (input.resolveConflicts && !input.dryRun && stripe && facts) {
        conflict = await resolveConflict(db, stripe, facts, row, conflict).catch((error: unknown) => ({
          ...conflict,
          resolutionError: error instanceof Error ? error.message : String(error),
        }));
      } else if (input.resolveConflicts && !input.dryRun) {
        conflict = { ...conflict, resolutionError: ONLY_STRIPE_PAIRS };
      }
      result = { line, email: row.email, outcome: 'conflict', userId: write.userId, conflict };
      // The Hub's subscription was the newer and is gone: the export's now takes the row.
      if (conflict.resolution?.canceledStripeSubscriptionId === conflict.hubStripeSubscriptionId) {
        // Stripe has already changed: whatever happens next, the report must still say what was canceled.
        try {
          const retry = { ...input, resolveConflicts: false };
          const after = await runRow(db, stripe, retry, await readStripe(stripe, row));
          if (after.kind === 'done') result = { ...after.result, outcome: 'conflict', conflict };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          result.note = `Resolved in Stripe, but the line could not be migrated yet (${reason}): run again.`;
        }
      }
    } else result = write.result;
    const { hooks } = input;
    // An unresolved conflict changes nothing at all until the operator decides.
    const untouched = result.outcome === 'rejected' || (result.conflict && !result.conflict.resolution);
    if (hooks?.importDocuments && result.userId && !untouched) {
      // The customer is migrated whatever happens to their files: a failed import is the documents' problem.
      result.documents = await hooks
        .importDocuments({ userId: result.userId, email: row.email, dryRun: input.dryRun })
        .catch((error: unknown) => ({
          imported: [],
          skipped: [],
          rejected: [{ file: '*', reason: error instanceof Error ? error.message : String(error) }],
        }));
    }
    return result;
  } catch (error) {
    if (error instanceof RowRejected) return rejected(error.message);
    return rejected(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
