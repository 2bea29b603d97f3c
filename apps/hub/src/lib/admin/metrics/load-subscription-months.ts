import { schema, type TDatabase } from '@omg/db';
import { and, asc, count, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import { logger } from '@/lib/logger';
import {
  emptyMonth,
  SNAPSHOT_VERSION,
  SubscriptionMetricsEngine,
  type TEngineSnapshot,
  type THistoryRow,
  type TSubscriptionMonth,
  withConversions,
} from './compute-subscription-metrics';
import type { TMonth } from './metrics-query';

const c = schema.subscriptionChange;
const snapshots = schema.subscriptionMetricsSnapshot;
/** What the computation reads of each history row (THistoryRow). */
export const HISTORY_COLUMNS = {
  subscriptionId: c.subscriptionId,
  userId: c.userId,
  organizationId: c.organizationId,
  appId: c.appId,
  status: c.status,
  monthlyAmountCents: c.monthlyAmountCents,
  trial: c.trial,
  occurredAt: c.occurredAt,
};

/**
 * Month starts a filter keeps a snapshot for: the current month's and the two before, so a late row dated in one
 * of the last two closed months (a Stripe event delivered late around a month's end, the usual case) replays from
 * the snapshot before it instead of the whole history.
 */
const KEPT_SNAPSHOTS = 3;

/** The months before the current one: their figures and the state at the current month's start. */
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
const addMonths = (time: number, months: number) => {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
};
const monthStartOf = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);

/**
 * The subscription metrics of `months` (computeSubscriptionMetrics' definitions, the same figures) and MRR now,
 * without reading and replaying the whole history on every request: the closed months (before the current one)
 * and the state at the current month's start are kept per Hub process and product filter, and in
 * hub."SubscriptionMetricsSnapshot" for every process (see resumeClosedMonths); each request replays only the
 * current month's rows from that state.
 *
 * Closed months can change: a Stripe event or a staff action may write a history row dated in a past month after
 * it closed (the trigger dates rows by the event's time). hub."SubscriptionChange" is append-only (the Hub's role
 * may not update or delete it), so the number of rows before the current month grows exactly when such a late
 * row arrives; it is counted on every request (one index range), and a different count recomputes the closed
 * months from the newest snapshot still valid.
 */
export async function loadSubscriptionMonths(
  db: TDatabase,
  appId: string | null,
  months: readonly TMonth[],
  now: Date,
): Promise<{ months: TSubscriptionMonth[]; mrrNowCents: number }> {
  const nowMs = now.getTime();
  const start = monthStartOf(now);
  const product = appId ? eq(c.appId, appId) : undefined;

  const byProduct = closedCache.get(db) ?? new Map<string, TClosedMonths>();
  closedCache.set(db, byProduct);
  const cacheKey = appId ?? 'all';
  // The closed months' count and this month's rows are independent: side by side on two connections.
  const [rowsBefore, current] = await Promise.all([
    countRowsBefore(db, start, product),
    db
      .select(HISTORY_COLUMNS)
      .from(c)
      .where(and(gte(c.occurredAt, new Date(start)), lt(c.occurredAt, now), product))
      .orderBy(asc(c.occurredAt), asc(c.id)),
  ]);
  let closed = byProduct.get(cacheKey);
  if (!closed || closed.start !== start || closed.rows !== rowsBefore) {
    closed = await resumeClosedMonths(db, appId, start, rowsBefore);
    byProduct.set(cacheKey, closed);
  }

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
      result.push(closed.months.get(month.key) ?? emptyMonth(month.key));
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

async function countRowsBefore(db: TDatabase, before: number, product: SQL | undefined): Promise<number> {
  const [counted] = await db
    .select({ rows: count() })
    .from(c)
    .where(and(lt(c.occurredAt, new Date(before)), product));
  return counted?.rows ?? 0;
}

/**
 * The closed months at `start`, from hub."SubscriptionMetricsSnapshot": the snapshot at `start` itself when its
 * row count is still `rowsBefore` (a restarted process, another process's work); else the newest earlier one
 * still valid (a new month, a late row in a recent month), from which only the months since are replayed; else
 * the whole history. What was computed is written back for the next process, after this request.
 */
async function resumeClosedMonths(
  db: TDatabase,
  appId: string | null,
  start: number,
  rowsBefore: number,
): Promise<TClosedMonths> {
  const product = appId ?? 'all';
  const productWhere = appId ? eq(c.appId, appId) : undefined;
  // Only the keys first: a state is megabytes, read the one that is used.
  const candidates = await db
    .select({ monthStart: snapshots.monthStart, historyRows: snapshots.historyRows })
    .from(snapshots)
    .where(
      and(
        eq(snapshots.product, product),
        eq(snapshots.version, SNAPSHOT_VERSION),
        lte(snapshots.monthStart, new Date(start)),
      ),
    )
    .orderBy(desc(snapshots.monthStart))
    .limit(KEPT_SNAPSHOTS);
  for (const candidate of candidates) {
    const at = candidate.monthStart.getTime();
    if (at === start && candidate.historyRows !== rowsBefore) continue;
    const [stored] = await db
      .select({ months: snapshots.months, state: snapshots.state })
      .from(snapshots)
      .where(
        and(
          eq(snapshots.product, product),
          eq(snapshots.monthStart, candidate.monthStart),
          eq(snapshots.version, SNAPSHOT_VERSION),
        ),
      );
    if (!stored) continue;
    const resumed = {
      start: at,
      rows: candidate.historyRows,
      months: new Map((stored.months as TSubscriptionMonth[]).map((m) => [m.month, m])),
      engine: SubscriptionMetricsEngine.fromSnapshot(stored.state as TEngineSnapshot),
    };
    if (at === start) return resumed;
    // An earlier month start: valid if no row has arrived before it since (checked with the rows read).
    const replayed = await replayClosedMonths(db, productWhere, resumed, start);
    if (!replayed) continue;
    keepSnapshot(db, product, replayed);
    return replayed;
  }
  const empty = {
    start: Number.NEGATIVE_INFINITY,
    rows: 0,
    months: new Map(),
    engine: new SubscriptionMetricsEngine(),
  };
  const computed = (await replayClosedMonths(db, productWhere, empty, start)) as TClosedMonths;
  keepSnapshot(db, product, computed);
  return computed;
}

/**
 * `from` carried forward to `start`: the history rows between the two replayed month by month, or null when the
 * rows before `from.start` are no longer `from.rows` (a late row landed before it). The count and the rows are
 * read in one snapshot (REPEATABLE READ), so a row committing meanwhile is either in both or in neither.
 */
async function replayClosedMonths(
  db: TDatabase,
  productWhere: SQL | undefined,
  from: TClosedMonths,
  start: number,
): Promise<TClosedMonths | null> {
  const since = Number.isFinite(from.start) ? gte(c.occurredAt, new Date(from.start)) : undefined;
  const read = await db.transaction(
    async (tx) => {
      // A year of history sorts in memory (with the default 4 MB PostgreSQL sorted it on disk).
      await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
      if (Number.isFinite(from.start)) {
        const [counted] = await tx
          .select({ rows: count() })
          .from(c)
          .where(and(lt(c.occurredAt, new Date(from.start)), productWhere));
        if ((counted?.rows ?? 0) !== from.rows) return null;
      }
      const history: THistoryRow[] = await tx
        .select(HISTORY_COLUMNS)
        .from(c)
        .where(and(since, lt(c.occurredAt, new Date(start)), productWhere))
        .orderBy(asc(c.occurredAt), asc(c.id));
      return history;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  if (!read) return null;
  const engine = from.engine;
  const months = new Map(from.months);
  const first = Number.isFinite(from.start) ? from.start : read[0] ? monthStartOf(read[0].occurredAt) : start;
  const cursor = { next: 0 };
  for (let at = first; at < start; at = addMonths(at, 1)) {
    const key = monthKey(at);
    months.set(key, engine.window(key, addMonths(at, 1), read, cursor));
  }
  return { start, rows: from.rows + read.length, months, engine };
}

/** Snapshot writes under way: a request never waits for them (tests do, through metricsSnapshotsWritten). */
let writes: Promise<unknown> = Promise.resolve();

/** Resolves when every snapshot write begun so far has ended (written, or failed and logged). */
export function metricsSnapshotsWritten(): Promise<unknown> {
  return writes;
}

/**
 * Writes `closed` to hub."SubscriptionMetricsSnapshot" after the request that computed it: serialising and
 * storing megabytes of state would add to the one request that already paid for the computation. A failed write
 * only means the next process computes again.
 */
function keepSnapshot(db: TDatabase, product: string, closed: TClosedMonths): void {
  const write = new Promise((resolve) => setImmediate(resolve))
    .then(() => saveSnapshot(db, product, closed))
    .catch((error) =>
      logger.warn({ err: error, product }, 'metrics: the snapshot of closed months was not kept'),
    );
  writes = Promise.all([writes, write]);
}

/** Keeps `closed` for the next process, and drops the filter's snapshots older than KEPT_SNAPSHOTS month starts. */
async function saveSnapshot(db: TDatabase, product: string, closed: TClosedMonths): Promise<void> {
  const monthStart = new Date(closed.start);
  const values = {
    version: SNAPSHOT_VERSION,
    historyRows: closed.rows,
    months: [...closed.months.values()],
    state: closed.engine.snapshot(),
    computedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(snapshots)
      .values({ product, monthStart, ...values })
      .onConflictDoUpdate({ target: [snapshots.product, snapshots.monthStart], set: values });
    await tx
      .delete(snapshots)
      .where(
        and(
          eq(snapshots.product, product),
          lt(snapshots.monthStart, new Date(addMonths(closed.start, 1 - KEPT_SNAPSHOTS))),
        ),
      );
  });
}
