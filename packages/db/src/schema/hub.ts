import { SUBSCRIPTION_STATUSES } from '@omg/contract';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { organization, user } from './core';

/** `('a', 'b')` for a CHECK constraint, from the contract's constant so the list has one home. */
function sqlList(values: readonly string[]) {
  return sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`);
}

/** The Hub's own data: the product catalog and the entitlements SVD reads. */
export const hub = pgSchema('hub');

export const app = hub.table('App', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  tagline: text('tagline').notNull(),
  description: text('description').notNull(),
  /** Where the SSO hand-off lands; NULL means the app cannot be launched yet. */
  launchUrl: text('launchUrl'),
  sortOrder: integer('sortOrder').notNull().default(0),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

export const subscription = hub.table(
  'Subscription',
  {
    id: text('id').primaryKey(),
    userId: text('userId').references(() => user.id),
    appId: text('appId').notNull(),
    plan: text('plan').notNull(),
    status: text('status').notNull().default('active'),
    /** A business subscription's organization (issue 15); its `userId` is NULL. Personal rows keep `userId`. */
    organizationId: text('organizationId').references(() => organization.id),
    stripeSubscriptionId: text('stripeSubscriptionId'),
    createdAt: timestamp('createdAt').defaultNow(),
    updatedAt: timestamp('updatedAt').defaultNow(),
    stripeCustomerId: text('stripeCustomerId'),
    stripePriceId: text('stripePriceId'),
    currentPeriodEnd: timestamp('currentPeriodEnd'),
    trialEndsAt: timestamp('trialEndsAt'),
    cancelAtPeriodEnd: boolean('cancelAtPeriodEnd').notNull().default(false),
    migratedAt: timestamp('migratedAt'),
    grandfatheredPriceCents: integer('grandfatheredPriceCents'),
    source: text('source').notNull().default('hub'),
    /** A downgrade waiting for the end of the paid period: the plan that takes over, and when. */
    scheduledPlan: text('scheduledPlan'),
    scheduledPlanAt: timestamp('scheduledPlanAt'),
    /**
     * hub."StripeReadTicket" taken just before provisioning read the Stripe state this row carries. Provisioning
     * reads Stripe without holding a lock, so two reads can finish in either order; a write whose ticket is older
     * than this one carries an older state and is refused (no older read overwrites a newer one).
     */
    stripeReadTicket: bigint('stripeReadTicket', { mode: 'number' }),
    /**
     * Seats bought beyond the plan's included ones: the quantity of the per-seat item on the Stripe subscription,
     * written by provisioning like every other column here (0 for a personal plan).
     */
    extraSeats: integer('extraSeats').notNull().default(0),
  },
  (t) => [
    unique('Subscription_userId_appId_key').on(t.userId, t.appId),
    // One subscription per organization and app, as the unique key above is per person: the row is reused across
    // cancel and resubscribe, so at most one is ever live. Partial, so personal rows (NULL) are not involved.
    uniqueIndex('Subscription_organizationId_appId_key')
      .on(t.organizationId, t.appId)
      .where(sql`${t.organizationId} IS NOT NULL`),
    check('Subscription_owner_check', sql`${t.userId} IS NULL OR ${t.organizationId} IS NULL`),
    check('Subscription_extraSeats_check', sql`${t.extraSeats} >= 0`),
    check('Subscription_status_check', sql`${t.status} IN ${sqlList(SUBSCRIPTION_STATUSES)}`),
    // The console's customer search (issue 14) finds customers by Stripe id and filters by state.
    index('Subscription_stripeSubscriptionId_idx').on(t.stripeSubscriptionId),
    index('Subscription_stripeCustomerId_idx').on(t.stripeCustomerId),
    index('Subscription_status_appId_idx').on(t.status, t.appId),
    index('Subscription_trialEndsAt_idx').on(t.trialEndsAt).where(sql`${t.trialEndsAt} IS NOT NULL`),
    index('Subscription_migratedAt_idx').on(t.migratedAt).where(sql`${t.migratedAt} IS NOT NULL`),
  ],
);

/** Orders provisioning's reads of Stripe (see Subscription.stripeReadTicket): a later ticket read later. */
export const stripeReadTicket = hub.sequence('StripeReadTicket');

/**
 * One Stripe customer per user, and one per organization (its business subscriptions), never two: the unique keys
 * make a racing second customer fail loudly. Exactly one of `userId` and `organizationId` is set.
 */
export const customer = hub.table(
  'Customer',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    userId: text('userId')
      .unique()
      .references(() => user.id),
    organizationId: text('organizationId')
      .unique()
      .references(() => organization.id),
    stripeCustomerId: text('stripeCustomerId').notNull().unique(),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [check('Customer_owner_check', sql`(${t.userId} IS NULL) <> (${t.organizationId} IS NULL)`)],
);

/**
 * Every Stripe event received, keyed by Stripe's own id: a redelivery finds its row and changes nothing, and the
 * row keeps what went wrong (and how often) while Stripe retries.
 */
export const billingEvent = hub.table(
  'BillingEvent',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    stripeCreatedAt: timestamp('stripeCreatedAt').notNull(),
    receivedAt: timestamp('receivedAt').notNull().defaultNow(),
    processedAt: timestamp('processedAt'),
    /** Held by the delivery processing the event; a second delivery arriving meanwhile waits for Stripe's retry. */
    claimedUntil: timestamp('claimedUntil'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    /** What provisioning made of it (provisioned, unchanged, skipped, duplicate, ignored) and why. */
    outcome: text('outcome'),
    outcomeReason: text('outcomeReason'),
    payload: jsonb('payload').notNull(),
  },
  (t) => [
    index('BillingEvent_type_idx').on(t.type),
    // The console's customer timeline (issue 14): one customer's events by the Stripe customer they are about
    // (data.object.customer of subscription, invoice, charge, refund and checkout events), newest first.
    index('BillingEvent_customer_idx').on(
      sql`(${t.payload} #>> '{data,object,customer}')`,
      t.stripeCreatedAt,
    ),
  ],
);

/** Checkouts the Hub started: lets a double click or a second tab reuse an open one instead of paying twice. */
export const checkoutSession = hub.table(
  'CheckoutSession',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    /** Who started it; for an organization's checkout, the owner or admin who bought. */
    userId: text('userId')
      .notNull()
      .references(() => user.id),
    /** Set when the checkout buys for an organization: duplicate prevention is then per organization and app. */
    organizationId: text('organizationId').references(() => organization.id),
    appId: text('appId').notNull(),
    plan: text('plan').notNull(),
    stripeSessionId: text('stripeSessionId').unique(),
    status: text('status').notNull().default('open'),
    url: text('url'),
    returnUrl: text('returnUrl'),
    expiresAt: timestamp('expiresAt'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    index('CheckoutSession_userId_appId_idx').on(t.userId, t.appId),
    check('CheckoutSession_status_check', sql`${t.status} IN ('open', 'complete', 'expired')`),
  ],
);

/**
 * Discount codes offered at checkout (SPEC §5). `code` is stored upper-case so the unique key also makes codes
 * unique case-insensitively. Stripe holds the matching coupon and promotion code; their ids are kept here so a
 * second sync reuses them instead of creating duplicates.
 */
export const coupon = hub.table(
  'Coupon',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    code: text('code').notNull().unique(),
    description: text('description').notNull().default(''),
    type: text('type').notNull(),
    percentOff: integer('percentOff'),
    amountOffCents: integer('amountOffCents'),
    /** NULL: the coupon applies to every product. */
    appId: text('appId'),
    active: boolean('active').notNull().default(true),
    expiresAt: timestamp('expiresAt'),
    maxRedemptions: integer('maxRedemptions'),
    timesRedeemed: integer('timesRedeemed').notNull().default(0),
    stripeCouponId: text('stripeCouponId'),
    stripePromotionCodeId: text('stripePromotionCodeId'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [
    check('Coupon_code_upper_check', sql`${t.code} = upper(${t.code})`),
    check(
      'Coupon_type_check',
      sql`(${t.type} = 'PERCENTAGE' AND ${t.percentOff} BETWEEN 1 AND 100 AND ${t.amountOffCents} IS NULL) OR (${t.type} = 'FIXED_AMOUNT' AND ${t.amountOffCents} > 0 AND ${t.percentOff} IS NULL)`,
    ),
  ],
);

/**
 * The Hub's outgoing mail (outbox): written in the same transaction as what caused it, then sent by the mail
 * worker through the pg-boss queue. `sending` is claimed atomically before the SMTP conversation, so a mail is
 * sent at most once; a worker that dies mid-conversation leaves the row in `sending` (outcome unknown, never
 * re-sent). The rendered message is kept so the worker needs no templates and an operator sees what went out.
 */
export const outgoingEmail = hub.table(
  'OutgoingEmail',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    /** Which template (reset-password, verify-email, …). */
    kind: text('kind').notNull(),
    userId: text('userId').references(() => user.id, { onDelete: 'set null' }),
    from: text('from').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** The last SMTP error (a retry is pending while `status` is `retrying`; `failed` when retries ran out). */
    lastError: text('lastError'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
    sentAt: timestamp('sentAt'),
    /**
     * One mail per thing that happened (`payment-failed:<invoice id>`, …): a redelivered or reordered webhook that
     * would send it again finds the row and queues nothing. Null for mail a person asked for (a reset link).
     */
    idempotencyKey: text('idempotencyKey').unique('OutgoingEmail_idempotencyKey_unique'),
    /**
     * A reminder is queued ahead of time (the trial ends in 2 days) and leaves no earlier than this. If what it
     * announced is no longer true when its time comes, the worker marks it `withdrawn` instead of sending it.
     */
    sendAfter: timestamp('sendAfter'),
  },
  (t) => [
    index('OutgoingEmail_to_idx').on(t.to),
    index('OutgoingEmail_status_idx').on(t.status),
    // The console's customer timeline: the mail sent to one customer, newest first (issue 14).
    index('OutgoingEmail_userId_createdAt_idx').on(t.userId, t.createdAt),
    check(
      'OutgoingEmail_status_check',
      sql`${t.status} IN ('queued', 'sending', 'retrying', 'sent', 'failed', 'withdrawn')`,
    ),
  ],
);

/**
 * Stripe prices that are not in today's catalog but belong to customers who paid SecureVault Docs directly before
 * the Hub existed (SPEC §7). The migration records which plan each such price means, so the webhook provisions
 * that plan on every renewal; a price that is neither in the catalog nor here provisions nothing (never a guess).
 */
export const legacyPrice = hub.table('LegacyPrice', {
  stripePriceId: text('stripePriceId').primaryKey(),
  appId: text('appId').notNull(),
  plan: text('plan').notNull(),
  /** What the customer paid per month at this price, as the export said. */
  monthlyPriceCents: integer('monthlyPriceCents'),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
});

/**
 * A single-use link that lets a customer who was imported without a Hub password set one (the migration welcome).
 * Only the SHA-256 of the token is stored; using it sets `usedAt`, and it dies at `expiresAt` either way.
 */
export const accountClaim = hub.table(
  'AccountClaim',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    tokenHash: text('tokenHash').notNull().unique(),
    expiresAt: timestamp('expiresAt').notNull(),
    usedAt: timestamp('usedAt'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [index('AccountClaim_userId_idx').on(t.userId)],
);

/**
 * "Contact sales" requests from a product page (Enterprise has no self-serve checkout): kept for staff to answer.
 * `userId` when the visitor was signed in; the rest is what they typed (validated, never rendered as HTML).
 */
export const salesInquiry = hub.table(
  'SalesInquiry',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    appId: text('appId').notNull(),
    userId: text('userId').references(() => user.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    company: text('company').notNull(),
    seats: integer('seats').notNull(),
    message: text('message').notNull(),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [index('SalesInquiry_createdAt_idx').on(t.createdAt)],
);

/**
 * "Notify me" on a product that has not launched: one row per address and product (a signed-in customer's
 * account email, or the address a visitor typed, lower-cased), so a second click records nothing new.
 */
export const productInterest = hub.table(
  'ProductInterest',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    appId: text('appId').notNull(),
    userId: text('userId').references(() => user.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [
    unique('ProductInterest_appId_email_key').on(t.appId, t.email),
    unique('ProductInterest_userId_appId_key').on(t.userId, t.appId),
  ],
);

/**
 * A portal cross-sell card the customer closed ("Also try OMG-CRM"): kept per account, not in a cookie, so it
 * stays closed on every browser and device they sign in from.
 */
export const crossSellDismissal = hub.table(
  'CrossSellDismissal',
  {
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    appId: text('appId').notNull(),
    dismissedAt: timestamp('dismissedAt').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.appId] })],
);

/**
 * The operator's console's audit trail (issue 14): every staff action and role grant, with who, to whom, why and
 * what changed. Append-only: the Hub's database role may INSERT and SELECT it but not UPDATE, DELETE or TRUNCATE
 * (applyRoleGrants revokes them), so a compromised Hub cannot rewrite its own history.
 */
export const auditLog = hub.table(
  'AuditLog',
  {
    id: text('id').primaryKey(),
    /** The staff member's user id, or a non-user actor such as 'system:cli' (no foreign key: the log outlives accounts). */
    actorUserId: text('actorUserId').notNull(),
    actorRole: text('actorRole').notNull(),
    action: text('action').notNull(),
    targetUserId: text('targetUserId'),
    reason: text('reason').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('requestId'),
    ipAddress: text('ipAddress'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [
    index('AuditLog_createdAt_idx').on(t.createdAt),
    index('AuditLog_targetUserId_idx').on(t.targetUserId, t.createdAt),
    check('AuditLog_reason_check', sql`length(btrim(${t.reason})) > 0`),
  ],
);

/**
 * The catalog's monthly price of each plan, in PostgreSQL so the subscription-history trigger can price a change
 * without the application (seedCatalog keeps it equal to @omg/contract's CATALOG; the migration that created it
 * inserted the catalog of its day so the backfill had prices). A plan without a price (Enterprise) has no row.
 */
export const planPrice = hub.table(
  'PlanPrice',
  {
    appId: text('appId').notNull(),
    plan: text('plan').notNull(),
    monthlyPriceCents: integer('monthlyPriceCents').notNull(),
    /** A business plan's price of one seat beyond the included ones, a month (issue 15); NULL without seats. */
    seatPriceCents: integer('seatPriceCents'),
    currency: text('currency').notNull().default('usd'),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.plan] })],
);

/**
 * The history of hub."Subscription" (issue 14 metrics): one row per change of what a subscription is worth or
 * grants (plan, status, monthly amount, trial, cancel at period end), so MRR and its movements can be recomputed
 * for any past month. Written ONLY by the trigger `SubscriptionChange_record` on hub."Subscription" (migration
 * 0019+), in the same transaction as the change: a trigger is the one place no writer can bypass (provisioning,
 * cancel, plan changes, the SVD migration, support actions, a psql session). A writer may say why with
 * annotateSubscriptionChange (source + Stripe event id or action, and Stripe's event time); otherwise the row
 * says 'sql'. Append-only for the Hub's role (applyRoleGrants revokes UPDATE, DELETE, TRUNCATE).
 */
export const subscriptionChange = hub.table(
  'SubscriptionChange',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: text('subscriptionId').notNull(),
    /** No foreign keys: the history outlives a deleted account or row (the metrics of past months must not move). */
    userId: text('userId'),
    /** A business subscription's organization (issue 15): the customer when there is no user. */
    organizationId: text('organizationId'),
    appId: text('appId').notNull(),
    plan: text('plan').notNull(),
    status: text('status').notNull(),
    /**
     * What the subscription costs a month, yearly prices divided by 12: the plan's price plus its extra seats at the
     * plan's seat price; NULL when the plan has no price (Enterprise).
     */
    monthlyAmountCents: integer('monthlyAmountCents'),
    extraSeats: integer('extraSeats').notNull().default(0),
    currency: text('currency').notNull().default('usd'),
    trial: boolean('trial').notNull(),
    cancelAtPeriodEnd: boolean('cancelAtPeriodEnd').notNull(),
    previousPlan: text('previousPlan'),
    previousStatus: text('previousStatus'),
    previousMonthlyAmountCents: integer('previousMonthlyAmountCents'),
    /** 'stripe_event' | 'hub' | 'migration' | 'backfill' | 'sql' (a write nobody annotated). */
    source: text('source').notNull(),
    /** The Stripe event id (evt_…) with 'stripe_event', the action ('cancel', 'plan-change', …) with 'hub'. */
    sourceRef: text('sourceRef'),
    /** Stripe's event time when there is one, else the transaction's; never before the subscription's last row. */
    occurredAt: timestamp('occurredAt').notNull(),
    recordedAt: timestamp('recordedAt').notNull().defaultNow(),
  },
  (t) => [
    index('SubscriptionChange_subscriptionId_idx').on(t.subscriptionId, t.occurredAt),
    index('SubscriptionChange_userId_idx').on(t.userId, t.occurredAt),
    index('SubscriptionChange_occurredAt_idx').on(t.occurredAt),
    check(
      'SubscriptionChange_source_check',
      sql`${t.source} IN ('stripe_event', 'hub', 'migration', 'backfill', 'sql')`,
    ),
  ],
);

/**
 * Every hand-off token the Hub issued (SPEC §4), one row per launch: who opened which app when. `id` is the
 * token's jti, the key SVD spends it under (securevault."UsedLaunchToken"), so issued and consumed hand-offs can be
 * compared. Feeds "active users per app" and "hand-off success rate" (issue 14) and the customer timeline.
 */
export const launch = hub.table(
  'Launch',
  {
    id: text('id').primaryKey(),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    appId: text('appId').notNull(),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [
    index('Launch_userId_idx').on(t.userId, t.createdAt),
    index('Launch_createdAt_idx').on(t.createdAt, t.appId, t.userId),
  ],
);

/**
 * A plan given free by staff (issue 14, "comp"): the customer has `plan` of `appId` from `startsAt` until
 * `endsAt` (or until `revokedAt`). The entitlement reads it beside hub."Subscription" and the better of the two
 * applies, so Stripe sync and reconciliation, which only write hub."Subscription", can never undo it, and it ends
 * by itself (a time comparison, no job). Rows are never deleted: they are the history of what was given.
 */
export const comp = hub.table(
  'Comp',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    appId: text('appId').notNull(),
    plan: text('plan').notNull(),
    reason: text('reason').notNull(),
    startsAt: timestamp('startsAt').notNull().defaultNow(),
    endsAt: timestamp('endsAt').notNull(),
    /** The staff member's user id (no foreign key, like hub."AuditLog": the record outlives accounts). */
    grantedBy: text('grantedBy').notNull(),
    revokedAt: timestamp('revokedAt'),
    revokedBy: text('revokedBy'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [
    index('Comp_userId_appId_idx').on(t.userId, t.appId, t.endsAt),
    check('Comp_period_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('Comp_reason_check', sql`length(btrim(${t.reason})) > 0`),
  ],
);

/**
 * Launches rolled up per month, app and account, with how many there were: kept by the trigger
 * `Launch_month_rollup` on hub."Launch" in the same transaction, so the metrics count active users and issued
 * hand-offs from about one row per active account and month instead of a year of launches (measured 1.4 s at
 * 100,000 customers). Derived data: rebuilt from hub."Launch" by the migration that created it.
 */
export const launchMonth = hub.table(
  'LaunchMonth',
  {
    month: timestamp('month').notNull(),
    appId: text('appId').notNull(),
    userId: text('userId').notNull(),
    launches: integer('launches').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.appId, t.userId] }),
    // An account's other apps in a month (hub-metrics.ts: an account counts once across apps).
    index('LaunchMonth_month_userId_idx').on(t.month, t.userId),
  ],
);
