import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  json,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { user } from './core';
import { hub } from './hub';

/**
 * Launches per month and app (issue 14's dashboard), kept current by triggers, so the dashboard adds up a few
 * hundred rows instead of counting every launch and every spent token:
 * - `issued`: hand-offs issued (one per hub."Launch" row, as hub."LaunchMonth" counts them);
 * - `users`: accounts that launched the app that month (a new hub."LaunchMonth" row); under appId '*' the
 *   accounts that launched any app that month, each once;
 * - `consumed`: hand-offs SVD spent (securevault."UsedLaunchToken" rows, under SVD's app id; a purged account's
 *   deleted tokens subtract, as a count over that table would).
 * A late row with an earlier time lands in its own month, so closed months stay exact without any recomputation.
 * The triggers and hub."LaunchHandoffs" are SQL in the migration that creates this table (0036), as is the index on
 * securevault."UsedLaunchToken"("usedAt") that reads the month of the first recorded launch.
 * Each month and app is split into 16 stripes (by a hash of the account or the token) so concurrent launches
 * seldom wait on one counter row; readers sum the stripes (hub."LaunchHandoffs", loadMetrics).
 */
export const launchMonthTotal = hub.table(
  'LaunchMonthTotal',
  {
    month: timestamp('month').notNull(),
    appId: text('appId').notNull(),
    stripe: smallint('stripe').notNull(),
    issued: integer('issued').notNull().default(0),
    consumed: integer('consumed').notNull().default(0),
    users: integer('users').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.appId, t.stripe] })],
);

/**
 * Who has used each product (issue 14's sign-ups per product): an account that launched it (a first row in
 * hub."LaunchMonth", written by the launch trigger that keeps that rollup) or has a subscription history with it
 * (a trigger on hub."SubscriptionChange"), with the account's sign-up time copied so a month's sign-ups of a
 * product are one index range.
 * Deleting the account deletes its rows, as it removes the account from the sign-up counts.
 */
export const productUser = hub.table(
  'ProductUser',
  {
    appId: text('appId').notNull(),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    signedUpAt: timestamp('signedUpAt'),
  },
  (t) => [
    primaryKey({ columns: [t.appId, t.userId] }),
    index('ProductUser_appId_signedUpAt_idx').on(t.appId, t.signedUpAt),
  ],
);

/**
 * The console's customer search (issue 14), precomputed per product: one row per account and product it is a
 * customer of — a hub."Subscription" row (any status), or for SecureVault Docs a securevault."UserProfile" (its
 * free trial) — with the account's sign-up time and the subscription's plan rank (hub."PlanRank": the catalog's
 * order) and status. Triggers on both tables keep it; it cascades with the account. The product filter walks
 * (appId, signedUpAt) and the plan sort walks (appId, planRank, planStatus, signedUpAt) instead of joining every
 * customer to every subscription (searchCustomers).
 */
export const customerProduct = hub.table(
  'CustomerProduct',
  {
    appId: text('appId').notNull(),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    signedUpAt: timestamp('signedUpAt'),
    /** Null without a subscription (SVD's free trial). */
    planRank: smallint('planRank'),
    planStatus: text('planStatus'),
  },
  (t) => [
    primaryKey({ columns: [t.appId, t.userId] }),
    index('CustomerProduct_signedUpAt_idx').on(
      t.appId,
      t.signedUpAt.desc().nullsFirst(),
      t.userId.desc().nullsFirst(),
    ),
    index('CustomerProduct_plan_desc_idx')
      .on(
        t.appId,
        t.planRank.desc().nullsFirst(),
        t.planStatus.desc().nullsFirst(),
        t.signedUpAt.desc().nullsFirst(),
        t.userId.desc().nullsFirst(),
      )
      .where(sql`"planRank" IS NOT NULL`),
    index('CustomerProduct_plan_asc_idx')
      .on(
        t.appId,
        t.planRank.asc(),
        t.planStatus.asc(),
        t.signedUpAt.desc().nullsFirst(),
        t.userId.desc().nullsFirst(),
      )
      .where(sql`"planRank" IS NOT NULL`),
  ],
);

/**
 * The console's subscription metrics at a month's start, so they are resumed instead of recomputed from the whole
 * history (issue 14; apps/hub/src/lib/admin/metrics/load-subscription-months.ts writes and reads it): per product
 * filter ('all' or an app id) and month start, the figures of every month before it and the computation's state
 * at that instant: here its totals, the past-due graces still running and the conversions (TEngineTotals), and
 * each subscription's last state in hub."SubscriptionMetricsSnapshotKey". A Hub process that starts, a new month and a late row then cost a month of
 * history instead of all of it. `historyRows` is how many hub."SubscriptionChange" rows of the filter lie before
 * `monthStart`: that table is append-only for the Hub, so a different count means a late row and the snapshot is
 * not used. `version` is the computation's (SNAPSHOT_VERSION): a snapshot of older code is recomputed. `json`, not
 * `jsonb`: written and read whole, never queried inside. `computedAt` also tells a reader that the snapshot it
 * reads subscriptions from was rewritten meanwhile.
 */
export const subscriptionMetricsSnapshot = hub.table(
  'SubscriptionMetricsSnapshot',
  {
    product: text('product').notNull(),
    monthStart: timestamp('monthStart').notNull(),
    version: integer('version').notNull(),
    historyRows: integer('historyRows').notNull(),
    /** The months before monthStart, each as the dashboard shows it (TSubscriptionMonth). */
    months: json('months').notNull(),
    /**
     * The computation's state at monthStart apart from its subscriptions (TEngineTotals: the totals, the past-due
     * graces still running, the conversions); each subscription's state is a row of
     * hub."SubscriptionMetricsSnapshotKey".
     */
    state: json('state').notNull(),
    computedAt: timestamp('computedAt').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.product, t.monthStart] })],
);

/**
 * Each subscription's state in a hub."SubscriptionMetricsSnapshot" (SubscriptionMetricsEngine.entries): its last
 * history row, since when it is past due, what it contributes to MRR, its past-due grace still to come, whether it
 * ever counted and its open trial. One row per subscription (customer, product) so a request reads only the
 * customers this month's history rows touch (by `customer`, the key's first part) instead of every subscription:
 * restoring all 32,000 generated ones from one JSON value was most of a restarted process's first request.
 * Deleted with its snapshot.
 */
export const subscriptionMetricsSnapshotKey = hub.table(
  'SubscriptionMetricsSnapshotKey',
  {
    product: text('product').notNull(),
    monthStart: timestamp('monthStart').notNull(),
    /** The account paying: a user id, `org:` + an organization id, or `sub:` + a subscription id. */
    customer: text('customer').notNull(),
    appId: text('appId').notNull(),
    subscriptionId: text('subscriptionId').notNull(),
    userId: text('userId'),
    organizationId: text('organizationId'),
    status: text('status').notNull(),
    monthlyAmountCents: integer('monthlyAmountCents'),
    trial: boolean('trial').notNull(),
    /** The row's occurredAt in epoch milliseconds, as the computation holds times. */
    occurredAt: bigint('occurredAt', { mode: 'number' }).notNull(),
    pastDueSince: bigint('pastDueSince', { mode: 'number' }),
    contribution: integer('contribution').notNull(),
    graceEnd: integer('graceEnd'),
    everCounted: boolean('everCounted').notNull(),
    /** An open trial; `trialCohort` is the month it started in (null: before what was computed). */
    trialOpen: boolean('trialOpen').notNull(),
    trialCohort: text('trialCohort'),
  },
  (t) => [
    primaryKey({ columns: [t.product, t.monthStart, t.customer, t.appId] }),
    foreignKey({
      columns: [t.product, t.monthStart],
      foreignColumns: [subscriptionMetricsSnapshot.product, subscriptionMetricsSnapshot.monthStart],
    }).onDelete('cascade'),
  ],
);
