import type { TDatabase } from '@omg/db';
import { type SQL, sql } from 'drizzle-orm';
import { describeTimelineEntry, type TTimelineEntry, type TTimelineRow } from './describe-timeline-entry';
import { encodeTimelineCursor, type TTimelineCursor } from './timeline-cursor';

export const TIMELINE_PAGE_SIZE = 50;

export interface TTimelinePage {
  entries: TTimelineEntry[];
  /** The `before` value of the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Everything that happened to a customer, newest first, one page at a time (issue 14): sign-up, SVD's first use,
 * account claim, launches per app, checkouts, Stripe events about their Stripe customers (payments, failures,
 * refunds, duplicates), mail sent, plan changes (hub."SubscriptionChange"), migration, staff actions.
 *
 * One statement: each source is read by an indexed user id (or Stripe customer id) in time order, at most one
 * page past the cursor, and the union is ordered by (time, source, key) — a total order, so a page boundary
 * never skips or repeats an entry. A customer's history costs the same among 100,000 customers as among ten.
 */
export async function loadCustomerTimeline(
  db: TDatabase,
  input: {
    userId: string;
    stripeCustomerIds: string[];
    before?: TTimelineCursor | null;
    pageSize?: number;
    stripeTestMode: boolean;
  },
): Promise<TTimelinePage> {
  const { userId, before } = input;
  const limit = (input.pageSize ?? TIMELINE_PAGE_SIZE) + 1;
  const customers = input.stripeCustomerIds;

  // One source: its rows as (at, key, data), past the cursor, newest first, at most `limit`.
  const source = (name: string, select: SQL) => {
    const after = before
      ? sql`where b.at <= ${before.at}::timestamp
          and (b.at, ${name}::text, b.key) < (${before.at}::timestamp, ${before.source}::text, ${before.key}::text)`
      : sql``;
    return sql`(select b.at, ${name}::text as source, b.key, b.data from (${select}) b ${after}
      order by b.at desc, b.key desc limit ${limit})`;
  };

  const sources: SQL[] = [
    source(
      'signup',
      sql`select "createdAt" as at, 'signup' as key, jsonb_build_object('email', email) as data
        from core."User" where id = ${userId} and "createdAt" is not null`,
    ),
    source(
      'account_deleted',
      sql`select "deletedAt" as at, 'deleted' as key, '{}'::jsonb as data
        from core."User" where id = ${userId} and "deletedAt" is not null`,
    ),
    source(
      'svd_first_use',
      sql`select "createdAt" as at, 'profile' as key, '{}'::jsonb as data
        from securevault."UserProfile" where "userId" = ${userId}`,
    ),
    source(
      'claim',
      sql`select "usedAt" as at, id as key, '{}'::jsonb as data
        from hub."AccountClaim" where "userId" = ${userId} and "usedAt" is not null`,
    ),
    source(
      'launch',
      sql`select "createdAt" as at, id as key, jsonb_build_object('appId', "appId") as data
        from hub."Launch" where "userId" = ${userId}`,
    ),
    source(
      'checkout',
      sql`select "createdAt" as at, id as key,
          jsonb_build_object('appId', "appId", 'plan', plan, 'status', status, 'stripeSessionId', "stripeSessionId") as data
        from hub."CheckoutSession" where "userId" = ${userId}`,
    ),
    source(
      'email',
      sql`select "createdAt" as at, id as key,
          jsonb_build_object('kind', kind, 'subject', subject, 'status', status, 'to', "to", 'sentAt', "sentAt") as data
        from hub."OutgoingEmail" where "userId" = ${userId}`,
    ),
    source(
      'plan_change',
      sql`select "occurredAt" as at, lpad(id::text, 20, '0') as key,
          jsonb_build_object('appId', "appId", 'plan', plan, 'status', status, 'amount', "monthlyAmountCents",
            'trial', trial, 'cancelAtPeriodEnd', "cancelAtPeriodEnd", 'previousPlan', "previousPlan",
            'previousStatus', "previousStatus", 'previousAmount', "previousMonthlyAmountCents",
            'source', source, 'sourceRef', "sourceRef") as data
        from hub."SubscriptionChange" where "userId" = ${userId}`,
    ),
    source(
      'migration',
      sql`select "migratedAt" as at, id as key,
          jsonb_build_object('appId', "appId", 'plan', plan, 'grandfatheredPriceCents', "grandfatheredPriceCents") as data
        from hub."Subscription" where "userId" = ${userId} and "migratedAt" is not null`,
    ),
    source(
      'staff_action',
      sql`select a."createdAt" as at, a.id as key,
          jsonb_build_object('action', a.action, 'reason', a.reason, 'actorRole', a."actorRole",
            'actorUserId', a."actorUserId", 'actorEmail', actor.email) as data
        from hub."AuditLog" a left join core."User" actor on actor.id = a."actorUserId"
        where a."targetUserId" = ${userId}`,
    ),
  ];
  if (customers.length > 0) {
    const customerList = sql.join(
      customers.map((c) => sql`${c}`),
      sql`, `,
    );
    // Stripe's own time for each event. A refund of a charge that a "duplicate" refund points at is the money a
    // duplicate subscription took, given back (resolveDuplicateSubscription refunds with reason 'duplicate').
    sources.push(
      source(
        'stripe_event',
        sql`select e."stripeCreatedAt" as at, e.id as key,
            jsonb_build_object('type', e.type, 'object', e.payload -> 'data' -> 'object', 'outcome', e.outcome,
              'outcomeReason', e."outcomeReason", 'error', e.error, 'processedAt', e."processedAt",
              'duplicateRefund', e.type = 'charge.refunded' and exists (
                select 1 from hub."BillingEvent" r
                where (r.payload #>> '{data,object,customer}') = (e.payload #>> '{data,object,customer}')
                  and r.type = 'refund.created'
                  and r.payload #>> '{data,object,charge}' = e.payload #>> '{data,object,id}'
                  and r.payload #>> '{data,object,reason}' = 'duplicate')) as data
          from hub."BillingEvent" e where (e.payload #>> '{data,object,customer}') in (${customerList})`,
      ),
    );
  }

  const result = await db.execute<{ at: string; source: string; key: string; data: Record<string, unknown> }>(
    sql`select to_char(t.at, 'YYYY-MM-DD"T"HH24:MI:SS.US') as at, t.source, t.key, t.data
      from (${sql.join(sources, sql` union all `)}) t
      order by t.at desc, t.source desc, t.key desc
      limit ${limit}`,
  );
  const rows = result.rows;
  const page = rows.slice(0, limit - 1);
  const last = page.at(-1);
  return {
    entries: page.map((row) =>
      describeTimelineEntry(row as TTimelineRow, { stripeTestMode: input.stripeTestMode }),
    ),
    nextCursor:
      rows.length === limit && last
        ? encodeTimelineCursor({ at: last.at, source: last.source, key: last.key })
        : null,
  };
}
