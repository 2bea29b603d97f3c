import { CATALOG } from '@omg/contract';
import type { TDatabase } from '@omg/db';
import { type SQL, sql } from 'drizzle-orm';
import type { TSubscriptionMonth } from './compute-subscription-metrics';
import { loadSubscriptionMonths } from './load-subscription-months';
import type { TMetricsQuery } from './metrics-query';

/** One month of the dashboard: the subscription metrics and the counts from the other records. */
export interface TMetricsMonth extends TSubscriptionMonth {
  signUps: number;
  /** Distinct accounts that launched each app this month (only apps with launches appear). */
  activeUsersByApp: Record<string, number>;
  /** Distinct accounts that launched any app of the filter this month. */
  activeUsers: number;
  handoffsIssued: number;
  handoffsConsumed: number;
  refunds: number;
  refundedCents: number;
  duplicatesPrevented: number;
  duplicateRefundedCents: number;
  webhookEvents: number;
  webhookEventsFailed: number;
  webhookEventsFailing: number;
}

export interface TMetrics {
  query: TMetricsQuery;
  months: TMetricsMonth[];
  /** MRR now (at the moment of the request), computed as the months are: compared with Stripe's. */
  mrrNowCents: number;
  /** Refunds, duplicates and webhook figures are Stripe account-wide: Stripe's records name no product. */
  accountWide: readonly ('refunds' | 'duplicates' | 'webhooks')[];
}

const monthOf = (value: unknown) => new Date(String(value)).toISOString().slice(0, 7);
const toNumber = (value: unknown) => Number(value ?? 0);

/** Per month counts from one aggregate query, as { 'YYYY-MM': row }. */
async function byMonth<T extends Record<string, unknown>>(
  db: TDatabase,
  query: SQL,
): Promise<Map<string, T>> {
  const result = await db.execute<T & { month: unknown }>(query);
  return new Map(result.rows.map((row) => [monthOf(row.month), row as T]));
}

/** Timestamps as the tables store them: UTC without a zone. */
const ts = (date: Date) => sql`${date.toISOString()}::timestamptz AT TIME ZONE 'UTC'`;

/**
 * Everything the metrics dashboard shows for a range of months and a product filter, from the Hub's own records:
 * hub."SubscriptionChange" (computeSubscriptionMetrics holds the definitions), core."User" and hub."ProductUser"
 * (sign-ups), hub."LaunchMonthTotal" and hub."LaunchHandoffs" (active users, hand-offs: monthly totals the
 * triggers keep, so a year costs the same at any number of launches), hub."BillingEvent" (refunds, duplicates,
 * webhook failures). The queries run side by side; each is one aggregate over an index (see the bench).
 */
export async function loadMetrics(db: TDatabase, query: TMetricsQuery, now = new Date()): Promise<TMetrics> {
  const first = query.months[0];
  const last = query.months.at(-1);
  if (!first || !last) throw new Error('A metrics range has at least one month.');
  const from = first.start;
  const to = last.end;
  const appId = query.product === 'all' ? null : query.product;
  const appOfLaunch = appId ? sql`AND l."appId" = ${appId}` : sql``;
  const inRange = (column: SQL) => sql`${column} >= ${ts(from)} AND ${column} < ${ts(to)}`;

  const [subscription, signUps, active, handoffs, refunds, duplicates, webhooks] = await Promise.all([
    // The history's figures: closed months kept per process, the current month replayed (see there).
    loadSubscriptionMonths(db, appId, query.months, now),
    // With a product: the accounts created that month that have used it (launched it or subscribed to it): one
    // range of hub."ProductUser"'s (appId, signedUpAt) index, which the triggers keep with the sign-up time.
    byMonth<{ count: string }>(
      db,
      appId
        ? sql`SELECT date_trunc('month', p."signedUpAt") AS month, count(*) AS count
              FROM hub."ProductUser" p
              WHERE p."appId" = ${appId} AND ${inRange(sql`p."signedUpAt"`)}
              GROUP BY 1`
        : sql`SELECT date_trunc('month', u."createdAt") AS month, count(*) AS count
              FROM core."User" u
              WHERE ${inRange(sql`u."createdAt"`)}
              GROUP BY 1`,
    ),
    // From hub."LaunchMonthTotal": per app the accounts that launched it that month, and per month across apps
    // the accounts that launched any (appId '*': one using two apps is one active user). With a product filter
    // the accounts across "apps of the filter" are that one app's.
    db.execute<{ month: unknown; appId: string | null; users: string }>(
      sql`SELECT t.month, t."appId", sum(t.users) AS users
          FROM hub."LaunchMonthTotal" t
          WHERE ${inRange(sql`t.month`)} AND ${appId ? sql`t."appId" = ${appId}` : sql`t."appId" <> '*'`}
          GROUP BY 1, 2
          HAVING sum(t.users) > 0
          UNION ALL
          SELECT t.month, NULL, sum(t.users)
          FROM hub."LaunchMonthTotal" t
          WHERE ${inRange(sql`t.month`)} AND t."appId" = ${appId ?? '*'}
          GROUP BY 1
          HAVING sum(t.users) > 0`,
    ),
    db.execute<{ month: unknown; appId: string; issued: string; consumed: string }>(
      sql`SELECT month, "appId", issued, consumed FROM hub."LaunchHandoffs"(${ts(from)}, ${ts(to)}) l
          WHERE true ${appOfLaunch}`,
    ),
    byMonth<{ refunds: string; cents: string; duplicateCents: string }>(
      db,
      sql`SELECT date_trunc('month', "stripeCreatedAt") AS month, count(*) AS refunds,
            sum((payload->'data'->'object'->>'amount')::bigint) AS cents,
            coalesce(sum((payload->'data'->'object'->>'amount')::bigint)
              FILTER (WHERE payload->'data'->'object'->'metadata'->>'omgDuplicateOf' IS NOT NULL), 0) AS "duplicateCents"
          FROM hub."BillingEvent"
          WHERE type = 'refund.created' AND ${inRange(sql`"stripeCreatedAt"`)}
          GROUP BY 1`,
    ),
    // One duplicate per second subscription, however many of its events reported it, in the month first seen.
    byMonth<{ duplicates: string }>(
      db,
      sql`SELECT month, count(*) AS duplicates FROM (
            SELECT date_trunc('month', min("stripeCreatedAt")) AS month
            FROM hub."BillingEvent"
            WHERE outcome = 'duplicate_resolved'
            GROUP BY coalesce(
              payload->'data'->'object'->>'subscription',
              payload->'data'->'object'->'parent'->'subscription_details'->>'subscription',
              payload->'data'->'object'->>'id')
          ) d
          WHERE ${inRange(sql`month`)}
          GROUP BY 1`,
    ),
    byMonth<{ events: string; failed: string; failing: string }>(
      db,
      sql`SELECT date_trunc('month', "receivedAt") AS month, count(*) AS events,
            count(*) FILTER (WHERE error IS NOT NULL OR attempts > 1) AS failed,
            count(*) FILTER (WHERE error IS NOT NULL AND "processedAt" IS NULL) AS failing
          FROM hub."BillingEvent"
          WHERE ${inRange(sql`"receivedAt"`)}
          GROUP BY 1`,
    ),
  ]);

  const { months: subscriptionMonths, mrrNowCents } = subscription;

  const activeByMonth = new Map<string, Record<string, number>>();
  const activeTotal = new Map<string, number>();
  for (const row of active.rows) {
    const month = monthOf(row.month);
    if (row.appId === null) activeTotal.set(month, toNumber(row.users));
    else activeByMonth.set(month, { ...activeByMonth.get(month), [row.appId]: toNumber(row.users) });
  }
  const handoffByMonth = new Map<string, { issued: number; consumed: number }>();
  for (const row of handoffs.rows) {
    const month = monthOf(row.month);
    const sum = handoffByMonth.get(month) ?? { issued: 0, consumed: 0 };
    handoffByMonth.set(month, {
      issued: sum.issued + toNumber(row.issued),
      consumed: sum.consumed + toNumber(row.consumed),
    });
  }

  const months = subscriptionMonths.map((m): TMetricsMonth => {
    const refund = refunds.get(m.month);
    const webhook = webhooks.get(m.month);
    return {
      ...m,
      signUps: toNumber(signUps.get(m.month)?.count),
      activeUsersByApp: activeByMonth.get(m.month) ?? {},
      activeUsers: activeTotal.get(m.month) ?? 0,
      handoffsIssued: handoffByMonth.get(m.month)?.issued ?? 0,
      handoffsConsumed: handoffByMonth.get(m.month)?.consumed ?? 0,
      refunds: toNumber(refund?.refunds),
      refundedCents: toNumber(refund?.cents),
      duplicatesPrevented: toNumber(duplicates.get(m.month)?.duplicates),
      duplicateRefundedCents: toNumber(refund?.duplicateCents),
      webhookEvents: toNumber(webhook?.events),
      webhookEventsFailed: toNumber(webhook?.failed),
      webhookEventsFailing: toNumber(webhook?.failing),
    };
  });
  return { query, months, mrrNowCents, accountWide: ['refunds', 'duplicates', 'webhooks'] };
}

/** The catalog's product names by app id, for labels. */
export const PRODUCT_NAMES: Record<string, string> = Object.fromEntries(
  CATALOG.map((p) => [p.appId, p.name]),
);
