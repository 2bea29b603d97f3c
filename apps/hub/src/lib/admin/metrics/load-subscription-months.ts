import { schema, type TDatabase } from '@omg/db';
import { and, asc, count, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import {
  SubscriptionMetricsEngine,
  type THistoryRow,
  type TSubscriptionMonth,
  withConversions,
} from './compute-subscription-metrics';
import type { TMonth } from './metrics-query';

const c = schema.subscriptionChange;
const HISTORY_COLUMNS = {
  subscriptionId: c.subscriptionId,
  userId: c.userId,
  organizationId: c.organizationId,
  appId: c.appId,
  status: c.status,
  monthlyAmountCents: c.monthlyAmountCents,
  trial: c.trial,
  occurredAt: c.occurredAt,
};

/** The months before the current one, computed once: their figures and the state at the current month's start. */
interface TClosedMonths {
  /** The current month's start (ms): everything before it is closed. */
  start: number;
  /** How many history rows lie before `start` when computed: a late row changes it (see below). */
  rows: number;
  months: Map<string, TSubscriptionMonth>;
  engine: SubscriptionMetricsEngine;
}

/** Per database handle and product filter (one entry each: the latest current month). */
const closedCache = new WeakMap<TDatabase, Map<string, TClosedMonths>>();

const monthKey = (time: number) => new Date(time).toISOString().slice(0, 7);
const nextMonth = (time: number) => {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

/**
 * The subscription metrics of `months` (computeSubscriptionMetrics' definitions, the same figures) and MRR now,
 * without reading and replaying the whole history on every request: the closed months (before the current one)
 * are computed once per Hub process, product filter and month, with the state at the current month's start; each
 * request replays only the current month's rows from that state.
 *
 * Closed months can change: a Stripe event or a staff action may write a history row dated in a past month after
 * it closed (the trigger dates rows by the event's time). hub."SubscriptionChange" is append-only (the Hub's role
 * may not update or delete it), so the number of rows before the current month grows exactly when such a late
 * row arrives; it is counted on every request (one index range), and a different count recomputes the closed
 * months. The closed rows and their count are read in one snapshot (REPEATABLE READ), so a row committing
 * meanwhile is either in both or in neither.
 */
export async function loadSubscriptionMonths(
  db: TDatabase,
  appId: string | null,
  months: readonly TMonth[],
  now: Date,
): Promise<{ months: TSubscriptionMonth[]; mrrNowCents: number }> {
  const nowMs = now.getTime();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const product = appId ? eq(c.appId, appId) : undefined;
  const closedWhere = and(lt(c.occurredAt, new Date(start)), product) as SQL;

  const byProduct = closedCache.get(db) ?? new Map<string, TClosedMonths>();
  closedCache.set(db, byProduct);
  const cacheKey = appId ?? 'all';
  const [counted] = await db.select({ rows: count() }).from(c).where(closedWhere);
  let closed = byProduct.get(cacheKey);
  if (!closed || closed.start !== start || closed.rows !== (counted?.rows ?? 0)) {
    closed = await computeClosedMonths(db, closedWhere, start);
    byProduct.set(cacheKey, closed);
  }

  const current: THistoryRow[] = await db
    .select(HISTORY_COLUMNS)
    .from(c)
    .where(and(gte(c.occurredAt, new Date(start)), lt(c.occurredAt, now), product))
    .orderBy(asc(c.occurredAt), asc(c.id));
  const live = closed.engine.clone();
  const cursor = { next: 0 };
  // The current month so far (the range's current month ends now, as a past-due grace that ends later this month
  // has not ended yet), then MRR now.
  const thisMonth = live.window(monthKey(start), nowMs, current, cursor);
  const mrrNowCents = live.mrr;

  const result: TSubscriptionMonth[] = [];
  for (const [index, month] of months.entries()) {
    const at = month.start.getTime();
    if (at < start) {
      result.push(closed.months.get(month.key) ?? emptyMonthOf(month.key));
    } else if (at === start) {
      result.push(thisMonth);
    } else {
      // A month after now: what is left of the past-due graces, window by window as computeSubscriptionMetrics
      // cuts them (a range that starts in the future first settles everything before its first month).
      if (index === 0) live.window(null, at, current, cursor);
      result.push(live.window(month.key, at, current, cursor));
    }
  }
  return { months: withConversions(result, live), mrrNowCents };
}

async function computeClosedMonths(db: TDatabase, where: SQL, start: number): Promise<TClosedMonths> {
  const { rows, history } = await db.transaction(
    async (tx) => {
      // The whole history sorts in memory (with the default 4 MB PostgreSQL sorted it on disk).
      await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
      const [counted] = await tx.select({ rows: count() }).from(c).where(where);
      const history: THistoryRow[] = await tx
        .select(HISTORY_COLUMNS)
        .from(c)
        .where(where)
        .orderBy(asc(c.occurredAt), asc(c.id));
      return { rows: counted?.rows ?? 0, history };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const engine = new SubscriptionMetricsEngine();
  const months = new Map<string, TSubscriptionMonth>();
  const first = history[0]?.occurredAt;
  const cursor = { next: 0 };
  if (first) {
    for (let at = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1); at < start; at = nextMonth(at)) {
      const key = monthKey(at);
      months.set(key, engine.window(key, nextMonth(at), history, cursor));
    }
  }
  return { start, rows, months, engine };
}

function emptyMonthOf(month: string): TSubscriptionMonth {
  return {
    month,
    mrrStartCents: 0,
    mrrEndCents: 0,
    newCents: 0,
    expansionCents: 0,
    contractionCents: 0,
    churnCents: 0,
    reactivationCents: 0,
    payingCustomersStart: 0,
    payingCustomersEnd: 0,
    churnedCustomers: 0,
    trialStarts: 0,
    trialsConverted: 0,
    pastDueCount: 0,
    pastDueAmountCents: 0,
  };
}
