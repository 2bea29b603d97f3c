import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { and, asc, count, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import { logger } from '../../logger';
import {
  customerOf,
  emptyMonth,
  SNAPSHOT_VERSION,
  SubscriptionMetricsEngine,
  type TEngineTotals,
  type THistoryRow,
  type TKeyEntry,
  type TSubscriptionMonth,
  withConversions,
} from './compute-subscription-metrics';
import type { TMonth } from './metrics-query';

const c = schema.subscriptionChange;
const snapshots = schema.subscriptionMetricsSnapshot;
const keys = schema.subscriptionMetricsSnapshotKey;
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

/** A stored snapshot as read: its month start, and its computedAt as text (a rewrite of it changes that). */
interface TStoredSnapshot {
  monthStart: Date;
  generation: string;
}

/** The months before the current one: their figures and the state at the current month's start. */
interface TClosedMonths {
  /** The current month's start (ms): everything before it is closed. */
  start: number;
  /** How many history rows lie before `start` when computed: a late row changes it (see below). */
  rows: number;
  months: Map<string, TSubscriptionMonth>;
  totals: TEngineTotals;
  /** The entries at `start` of each customer read or replayed so far ([]: no subscription then). */
  customers: Map<string, TKeyEntry[]>;
  /**
   * Where the other customers' entries are read: a stored snapshot at or before `start` whose rows for them still
   * hold at `start` (none of their history rows lies between). Null when `customers` holds every customer (the
   * whole history was replayed).
   */
  source: TStoredSnapshot | null;
}

/** Per database handle and product filter (one entry each: the latest current month). */
const closedCache = new WeakMap<TDatabase, Map<string, TClosedMonths>>();

const monthKey = (time: number) => new Date(time).toISOString().slice(0, 7);
const addMonths = (time: number, months: number) => {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
};
const monthStartOf = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);

/** A rewrite of the snapshot being read from, seen by a request (another process recomputed it meanwhile). */
class SnapshotRewritten extends Error {}

/**
 * The subscription metrics of `months` (computeSubscriptionMetrics' definitions, the same figures) and MRR now,
 * without reading and replaying the whole history on every request: the closed months (before the current one)
 * and the state at the current month's start are kept per Hub process and product filter, and in
 * hub."SubscriptionMetricsSnapshot" for every process (see resumeClosedMonths); each request replays only the
 * current month's rows, from the state of the customers they touch (read from the stored snapshot the first time
 * a process needs them: a restarted process reads hundreds of subscriptions, not all of them).
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
  const product = appId ?? 'all';
  const productWhere = appId ? eq(c.appId, appId) : undefined;

  const byProduct = closedCache.get(db) ?? new Map<string, TClosedMonths>();
  closedCache.set(db, byProduct);
  // The closed months' count and this month's rows are independent: side by side on two connections.
  const [rowsBefore, current] = await Promise.all([
    countRowsBefore(db, start, productWhere),
    db
      .select(HISTORY_COLUMNS)
      .from(c)
      .where(and(gte(c.occurredAt, new Date(start)), lt(c.occurredAt, now), productWhere))
      .orderBy(asc(c.occurredAt), asc(c.id)),
  ]);
  let closed = byProduct.get(product);
  const currentCustomers = new Set(current.map(customerOf));
  for (let attempt = 0; ; attempt += 1) {
    if (!closed || closed.start !== start || closed.rows !== rowsBefore || attempt > 0) {
      closed = await resumeClosedMonths(db, product, productWhere, start, rowsBefore);
      byProduct.set(product, closed);
    }
    try {
      await readCustomers(db, product, closed, currentCustomers);
      break;
    } catch (error) {
      if (!(error instanceof SnapshotRewritten) || attempt >= 2) throw error;
    }
  }

  // The state at this month's start of the customers this month touches (their rows, the graces still to end),
  // apart from the totals: nothing else is read or changed by replaying this month.
  const live = SubscriptionMetricsEngine.fromParts(closed.totals, entriesOf(closed, currentCustomers));
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

/** The customers whose entries a replay from `closed` needs: `customers`' and those of the graces still to end. */
function neededCustomers(closed: TClosedMonths, customers: Iterable<string>): Set<string> {
  const needed = new Set(SubscriptionMetricsEngine.graceCustomers(closed.totals));
  for (const customer of customers) needed.add(customer);
  return needed;
}

function entriesOf(closed: TClosedMonths, customers: Iterable<string>): TKeyEntry[] {
  const entries: TKeyEntry[] = [];
  for (const customer of neededCustomers(closed, customers)) {
    for (const entry of closed.customers.get(customer) ?? []) entries.push(entry);
  }
  return entries;
}

const KEY_COLUMNS = {
  customer: keys.customer,
  subscriptionId: keys.subscriptionId,
  userId: keys.userId,
  organizationId: keys.organizationId,
  appId: keys.appId,
  status: keys.status,
  monthlyAmountCents: keys.monthlyAmountCents,
  trial: keys.trial,
  occurredAt: keys.occurredAt,
  pastDueSince: keys.pastDueSince,
  contribution: keys.contribution,
  graceEnd: keys.graceEnd,
  everCounted: keys.everCounted,
  trialOpen: keys.trialOpen,
  trialCohort: keys.trialCohort,
};

/**
 * Adds to `closed.customers` the entries of those of `customers` (and of the graces still to end) not read yet,
 * from its source snapshot, in one statement that also checks the snapshot is still the one resumed
 * (SnapshotRewritten otherwise).
 */
async function readCustomers(
  db: TDatabase | TTransaction,
  product: string,
  closed: TClosedMonths,
  customers: Iterable<string>,
): Promise<void> {
  const missing = [...neededCustomers(closed, customers)].filter(
    (customer) => !closed.customers.has(customer),
  );
  if (missing.length === 0) return;
  const source = closed.source;
  if (source) {
    const read = await db
      .select({ generation: sql<string>`${snapshots.computedAt}::text`, entry: KEY_COLUMNS })
      .from(snapshots)
      .leftJoin(
        keys,
        and(
          eq(keys.product, snapshots.product),
          eq(keys.monthStart, snapshots.monthStart),
          sql`${keys.customer} = ANY(${sql.param(missing)}::text[])`,
        ),
      )
      .where(and(eq(snapshots.product, product), eq(snapshots.monthStart, source.monthStart)));
    if (read[0]?.generation !== source.generation) throw new SnapshotRewritten();
    const byCustomer = new Map<string, TKeyEntry[]>();
    for (const { entry } of read) {
      if (!entry) continue;
      const entries = byCustomer.get(entry.customer) ?? [];
      entries.push({
        customer: entry.customer,
        row: {
          subscriptionId: entry.subscriptionId,
          userId: entry.userId,
          organizationId: entry.organizationId,
          appId: entry.appId,
          status: entry.status,
          monthlyAmountCents: entry.monthlyAmountCents,
          trial: entry.trial,
          occurredAt: new Date(entry.occurredAt),
        },
        pastDueSince: entry.pastDueSince,
        contribution: entry.contribution,
        graceEnd: entry.graceEnd,
        everCounted: entry.everCounted,
        openTrial: entry.trialOpen ? entry.trialCohort : undefined,
      });
      byCustomer.set(entry.customer, entries);
    }
    for (const customer of missing) closed.customers.set(customer, byCustomer.get(customer) ?? []);
  } else {
    // The whole history was replayed: a customer not in it has no subscription.
    for (const customer of missing) closed.customers.set(customer, []);
  }
}

/**
 * The closed months at `start`, from hub."SubscriptionMetricsSnapshot": the snapshot at `start` itself when its
 * row count is still `rowsBefore` (a restarted process, another process's work: only its figures and totals are
 * read here, customers as requests need them); else the newest earlier one still valid (a new month, a late row
 * in a recent month), from which only the months since are replayed; else the whole history. What was computed
 * is written back for the next process, after this request.
 */
async function resumeClosedMonths(
  db: TDatabase,
  product: string,
  productWhere: SQL | undefined,
  start: number,
  rowsBefore: number,
): Promise<TClosedMonths> {
  const candidates = await db
    .select({
      monthStart: snapshots.monthStart,
      historyRows: snapshots.historyRows,
      generation: sql<string>`${snapshots.computedAt}::text`,
      months: snapshots.months,
      state: snapshots.state,
    })
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
    const resumed: TClosedMonths = {
      start: at,
      rows: candidate.historyRows,
      months: new Map((candidate.months as TSubscriptionMonth[]).map((m) => [m.month, m])),
      totals: candidate.state as TEngineTotals,
      customers: new Map(),
      source: { monthStart: candidate.monthStart, generation: candidate.generation },
    };
    if (at === start) return resumed;
    // An earlier month start: valid if no row has arrived before it since (checked with the rows read).
    const replayed = await replayClosedMonths(db, product, productWhere, resumed, start);
    if (!replayed) continue;
    keepSnapshot(db, product, replayed);
    return replayed;
  }
  const empty: TClosedMonths = {
    start: Number.NEGATIVE_INFINITY,
    rows: 0,
    months: new Map(),
    totals: new SubscriptionMetricsEngine().totals(),
    customers: new Map(),
    source: null,
  };
  const computed = (await replayClosedMonths(db, product, productWhere, empty, start)) as TClosedMonths;
  keepSnapshot(db, product, computed);
  return computed;
}

/**
 * `from` carried forward to `start`: the history rows between the two replayed month by month from the state of
 * the customers they touch, or null when the rows before `from.start` are no longer `from.rows` (a late row
 * landed before it) or its snapshot was rewritten. The count, the rows and the customers' state are read in one
 * snapshot (REPEATABLE READ), so a row committing meanwhile is either in all or in none. The customers the
 * rows do not touch keep `from`'s source: their state at `from.start` is their state at `start`.
 */
async function replayClosedMonths(
  db: TDatabase,
  product: string,
  productWhere: SQL | undefined,
  from: TClosedMonths,
  start: number,
): Promise<TClosedMonths | null> {
  const since = Number.isFinite(from.start) ? gte(c.occurredAt, new Date(from.start)) : undefined;
  const read = await db
    .transaction(
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
        // From a stored snapshot: the state of the customers these rows touch (from the whole history: none).
        if (from.source) await readCustomers(tx, product, from, new Set(history.map(customerOf)));
        return history;
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    )
    .catch((error) => {
      if (error instanceof SnapshotRewritten) return null;
      throw error;
    });
  if (!read) return null;
  const engine = SubscriptionMetricsEngine.fromParts(from.totals, [...from.customers.values()].flat());
  const months = new Map(from.months);
  const first = Number.isFinite(from.start) ? from.start : read[0] ? monthStartOf(read[0].occurredAt) : start;
  const cursor = { next: 0 };
  for (let at = first; at < start; at = addMonths(at, 1)) {
    const key = monthKey(at);
    months.set(key, engine.window(key, addMonths(at, 1), read, cursor));
  }
  // Every customer replayed, with its state at `start` ([] for one read that had none: it has none still).
  const customers = new Map<string, TKeyEntry[]>(
    [...from.customers.keys()].map((customer) => [customer, []]),
  );
  for (const entry of engine.entries()) {
    const entries = customers.get(entry.customer) ?? [];
    entries.push(entry);
    customers.set(entry.customer, entries);
  }
  return {
    start,
    rows: from.rows + read.length,
    months,
    totals: engine.totals(),
    customers,
    source: from.source,
  };
}

/** Snapshot writes under way: a request never waits for them (tests do, through metricsSnapshotsWritten). */
let writes: Promise<unknown> = Promise.resolve();

/** Resolves when every snapshot write begun so far has ended (written, or failed and logged). */
export function metricsSnapshotsWritten(): Promise<unknown> {
  return writes;
}

/**
 * Writes `closed` to hub."SubscriptionMetricsSnapshot" after the request that computed it: storing tens of
 * thousands of subscriptions would add to the one request that already paid for the computation. A failed write
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

const ts = (time: number) => sql`${new Date(time).toISOString()}::timestamptz AT TIME ZONE 'UTC'`;

/**
 * Keeps `closed` for the next process: its figures and totals, the entries of the customers it holds, and the
 * source snapshot's rows of every other customer (copied inside PostgreSQL: their state has not changed since);
 * drops the filter's snapshots older than KEPT_SNAPSHOTS month starts (their entries go with them).
 */
async function saveSnapshot(db: TDatabase, product: string, closed: TClosedMonths): Promise<void> {
  const monthStart = new Date(closed.start);
  const held = [...closed.customers.keys()];
  const entries = [...closed.customers.values()].flat();
  const values = {
    version: SNAPSHOT_VERSION,
    historyRows: closed.rows,
    months: [...closed.months.values()],
    state: closed.totals,
    computedAt: new Date(),
  };
  const column = <T>(pick: (entry: TKeyEntry) => T) => sql.param(entries.map(pick));
  await db.transaction(async (tx) => {
    const source = closed.source;
    if (source) {
      const [still] = await tx
        .select({ generation: sql<string>`${snapshots.computedAt}::text` })
        .from(snapshots)
        .where(and(eq(snapshots.product, product), eq(snapshots.monthStart, source.monthStart)))
        .for('share');
      // Rewritten meanwhile (a late row, another process): its rows are no longer the ones this state came from.
      if (still?.generation !== source.generation) throw new SnapshotRewritten('the source snapshot changed');
    }
    await tx
      .insert(snapshots)
      .values({ product, monthStart, ...values })
      .onConflictDoUpdate({ target: [snapshots.product, snapshots.monthStart], set: values });
    await tx.delete(keys).where(and(eq(keys.product, product), eq(keys.monthStart, monthStart)));
    await tx.execute(sql`
      INSERT INTO ${keys} (product, "monthStart", customer, "subscriptionId", "userId", "organizationId", "appId",
        status, "monthlyAmountCents", trial, "occurredAt", "pastDueSince", contribution, "graceEnd", "everCounted",
        "trialOpen", "trialCohort")
      SELECT ${product}, ${ts(closed.start)}, * FROM unnest(
        ${column((e) => e.customer)}::text[], ${column((e) => e.row.subscriptionId)}::text[],
        ${column((e) => e.row.userId)}::text[], ${column((e) => e.row.organizationId)}::text[],
        ${column((e) => e.row.appId)}::text[], ${column((e) => e.row.status)}::text[],
        ${column((e) => e.row.monthlyAmountCents)}::int[], ${column((e) => e.row.trial)}::bool[],
        ${column((e) => e.row.occurredAt.getTime())}::bigint[], ${column((e) => e.pastDueSince)}::bigint[],
        ${column((e) => e.contribution)}::int[], ${column((e) => e.graceEnd)}::int[],
        ${column((e) => e.everCounted)}::bool[], ${column((e) => e.openTrial !== undefined)}::bool[],
        ${column((e) => e.openTrial ?? null)}::text[])`);
    if (source) {
      await tx.execute(sql`
        INSERT INTO ${keys} (product, "monthStart", customer, "subscriptionId", "userId", "organizationId", "appId",
          status, "monthlyAmountCents", trial, "occurredAt", "pastDueSince", contribution, "graceEnd", "everCounted",
          "trialOpen", "trialCohort")
        SELECT product, ${ts(closed.start)}, customer, "subscriptionId", "userId", "organizationId", "appId",
          status, "monthlyAmountCents", trial, "occurredAt", "pastDueSince", contribution, "graceEnd", "everCounted",
          "trialOpen", "trialCohort"
        FROM ${keys} k
        WHERE k.product = ${product} AND k."monthStart" = ${ts(source.monthStart.getTime())}
          AND k.customer NOT IN (SELECT unnest(${sql.param(held)}::text[]))`);
    }
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
