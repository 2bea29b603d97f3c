import type { TMonth } from './metrics-query';

/**
 * THE DEFINITIONS of the console's subscription metrics (issue 14; README "Operator's console: metrics" repeats
 * them in words). Everything is computed from hub."SubscriptionChange", the history the trigger on
 * hub."Subscription" writes, never from Stripe; months are UTC calendar months.
 *
 * - A subscription's **monthly amount** is its plan's list price a month (a grandfathered or legacy price where
 *   the customer has one; yearly prices divided by 12) plus its extra seats at the plan's seat price, before
 *   coupons. Plans without a price (Enterprise) count 0.
 * - It **counts toward MRR** while it is `active` and not in a trial, or `past_due` for at most
 *   PAST_DUE_GRACE_DAYS from the moment it became past due (Stripe is still retrying the card; after that it
 *   leaves MRR, and coming back to active is a reactivation). Trials, canceled subscriptions and `incomplete`
 *   ones (which never reach hub."Subscription": provisioning writes nothing before the first payment) never
 *   count. A subscription set to cancel at period end counts until it ends.
 * - **MRR** at an instant is the sum of what counts then; a month's MRR is the MRR at its end (its start for the
 *   opening figure).
 * - **Movements** compare each subscription (one customer's one product) at the month's start and end:
 *   new = 0 → more, and it never counted before; reactivation = 0 → more, and it counted at some earlier time;
 *   expansion = more → even more; contraction = more → less but not 0; churn = more → 0 (its whole start amount).
 *   So MRR(end) = MRR(start) + new + reactivation + expansion − contraction − churn, exactly. Changes that cancel
 *   out within a month (a plan tried and undone) are no movement.
 * - **Paying customers** are accounts (a person, or an organization for a business subscription) with at least one
 *   subscription counting toward MRR (in the product filter);
 *   **customer churn** of a month is the accounts paying at its start that pay nothing at its end, and its rate
 *   that number over the paying customers at the start.
 * - A **trial start** is a row that begins a trial (the previous state was not a trial), counted in its month. A
 *   trial **converts** when the same subscription later counts toward MRR at the normal (non-trial) state, before
 *   it is canceled; conversion is per cohort: of the trials started in a month, how many converted by the end of
 *   the range (the rest are still in trial, or ended without paying).
 * - **Past due** at a month's end: subscriptions whose status is past_due then (inside the grace or beyond), and
 *   the **amount at risk**, their monthly amounts summed.
 */
export const PAST_DUE_GRACE_DAYS = 14;
const GRACE_MS = PAST_DUE_GRACE_DAYS * 24 * 60 * 60 * 1000;

/** One row of hub."SubscriptionChange", as the computation needs it (ordered by occurredAt, id). */
export interface THistoryRow {
  subscriptionId: string;
  userId: string | null;
  /** A business subscription's customer is its organization (issue 15). */
  organizationId: string | null;
  appId: string;
  status: string;
  monthlyAmountCents: number | null;
  trial: boolean;
  occurredAt: Date;
}

export interface TSubscriptionMonth {
  month: string;
  mrrStartCents: number;
  mrrEndCents: number;
  newCents: number;
  expansionCents: number;
  contractionCents: number;
  churnCents: number;
  reactivationCents: number;
  payingCustomersStart: number;
  payingCustomersEnd: number;
  churnedCustomers: number;
  trialStarts: number;
  /** Of this month's trial starts, how many converted by the end of the range. */
  trialsConverted: number;
  pastDueCount: number;
  pastDueAmountCents: number;
}

/** A subscription's (customer, product) state: its last row, since when it is past due, what it contributes. */
interface TKeyState {
  row: THistoryRow;
  pastDueSince: number | null;
  contribution: number;
  /** The end of its past-due grace still to come (its sequence number), unless a change comes first. */
  graceEnd: number | null;
}

/** A pending end of a past-due grace: at `at`, in the order of the rows that started it (`seq`). */
interface TGraceEnd {
  at: number;
  seq: number;
  key: string;
}

/** The customer: a person, or for a business subscription its organization. */
export const customerOf = (row: THistoryRow) =>
  row.userId ?? (row.organizationId ? `org:${row.organizationId}` : `sub:${row.subscriptionId}`);
/** A subscription is (customer, product): the row's id can change if a row is ever replaced, this key cannot. */
const keyOf = (row: THistoryRow) => `${customerOf(row)}|${row.appId}`;

const isPaidState = (row: THistoryRow) => row.status === 'active' && !row.trial;

function contributionOf(row: THistoryRow, at: number, pastDueSince: number | null): number {
  const amount = row.monthlyAmountCents ?? 0;
  if (amount <= 0) return 0;
  if (isPaidState(row)) return amount;
  if (row.status === 'past_due' && pastDueSince !== null && at - pastDueSince < GRACE_MS) return amount;
  return 0;
}

const earlier = (a: TGraceEnd, b: TGraceEnd) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap of grace ends (the earliest first; among equal times, the earlier row's first). */
class GraceEnds {
  constructor(private readonly heap: TGraceEnd[] = []) {}
  /** The heap's array as it is (a valid heap again when passed to the constructor). */
  items(): readonly TGraceEnd[] {
    return this.heap;
  }
  peek(): TGraceEnd | undefined {
    return this.heap[0];
  }
  push(item: TGraceEnd) {
    const items = this.heap;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!earlier(items[i] as TGraceEnd, items[parent] as TGraceEnd)) break;
      [items[i], items[parent]] = [items[parent] as TGraceEnd, items[i] as TGraceEnd];
      i = parent;
    }
  }
  pop(): TGraceEnd | undefined {
    const items = this.heap;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < items.length && earlier(items[left] as TGraceEnd, items[least] as TGraceEnd)) least = left;
        if (right < items.length && earlier(items[right] as TGraceEnd, items[least] as TGraceEnd))
          least = right;
        if (least === i) break;
        [items[i], items[least]] = [items[least] as TGraceEnd, items[i] as TGraceEnd];
        i = least;
      }
    }
    return top;
  }
}

/** A month with nothing in it (a month before any history, or one outside what was computed). */
export const emptyMonth = (month: string): TSubscriptionMonth => ({
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
});

/**
 * One subscription's state at an instant (SubscriptionMetricsEngine.entries / fromParts): a row of
 * hub."SubscriptionMetricsSnapshotKey". Its key comes from its row.
 */
export interface TKeyEntry {
  /** customerOf(row): entries are read by customer, so a customer's total is the sum of its entries'. */
  customer: string;
  row: THistoryRow;
  pastDueSince: number | null;
  contribution: number;
  graceEnd: number | null;
  everCounted: boolean;
  /** Its open trial's starting month (null: it started before what was computed); undefined: none open. */
  openTrial: string | null | undefined;
}

/**
 * The engine's state apart from its subscriptions, as JSON (hub."SubscriptionMetricsSnapshot".state): small, read
 * whole. SNAPSHOT_VERSION changes whenever the state's shape or the definitions above change, so a snapshot written
 * by older code is never resumed (it is recomputed).
 */
export interface TEngineTotals {
  version: number;
  graceEnds: [number, number, string][];
  conversions: [string, [string, number][]][];
  seq: number;
  mrr: number;
  payingCustomers: number;
  pastDueCount: number;
  pastDueAmount: number;
}
export const SNAPSHOT_VERSION = 3;

/** The customer part of a key (`customer|appId`; app ids hold no `|`). */
export const customerOfKey = (key: string) => key.slice(0, key.lastIndexOf('|'));

/**
 * The computation as a state machine over the history, one window (a month) at a time, so the state at a month's
 * start can be kept and resumed later (loadMetrics keeps the closed months and computes only the current one per
 * request). Rows are applied in their order; a past-due grace ends at its time unless the subscription's next
 * change comes first (at or before it); ends sort after rows of the same instant. Each window gives its month's
 * figures; trial conversions are kept per starting month and month of conversion (conversionsBy).
 */
export class SubscriptionMetricsEngine {
  private keys = new Map<string, TKeyState>();
  private everCounted = new Set<string>();
  private userTotal = new Map<string, number>();
  /** Open trials: the month they started in (null when it started in an untracked window). */
  private openTrial = new Map<string, string | null>();
  private graceEnds = new GraceEnds();
  /** Trial conversions: starting month → month of conversion → count. */
  private conversions = new Map<string, Map<string, number>>();
  private seq = 0;
  mrr = 0;
  private payingCustomers = 0;
  private pastDueCount = 0;
  private pastDueAmount = 0;

  /** The state apart from the subscriptions (fromParts reads it back). */
  totals(): TEngineTotals {
    return {
      version: SNAPSHOT_VERSION,
      graceEnds: this.graceEnds.items().map((g) => [g.at, g.seq, g.key]),
      conversions: [...this.conversions].map(([cohort, byMonth]) => [cohort, [...byMonth]]),
      seq: this.seq,
      mrr: this.mrr,
      payingCustomers: this.payingCustomers,
      pastDueCount: this.pastDueCount,
      pastDueAmount: this.pastDueAmount,
    };
  }

  /** Every subscription the engine holds, with its state now. */
  entries(): TKeyEntry[] {
    return [...this.keys].map(([key, s]) => ({
      customer: customerOf(s.row),
      row: s.row,
      pastDueSince: s.pastDueSince,
      contribution: s.contribution,
      graceEnd: s.graceEnd,
      everCounted: this.everCounted.has(key),
      openTrial: this.openTrial.has(key) ? (this.openTrial.get(key) ?? null) : undefined,
    }));
  }

  /**
   * The engine at a snapshot's instant holding only `entries`' subscriptions (of this SNAPSHOT_VERSION: the caller
   * checks). Rows may be applied for a customer only if every entry of that customer is given (its total is their
   * sum), and a grace end of `totals` must find its subscription's entry: the caller passes every entry of the
   * customers of its rows and of totals' grace ends (graceCustomers). MRR, paying customers and past due are the
   * totals' own, over every subscription.
   */
  static fromParts(totals: TEngineTotals, entries: Iterable<TKeyEntry>): SubscriptionMetricsEngine {
    const engine = new SubscriptionMetricsEngine();
    for (const entry of entries) {
      const key = keyOf(entry.row);
      const { row, pastDueSince, contribution, graceEnd } = entry;
      engine.keys.set(key, { row, pastDueSince, contribution, graceEnd });
      if (entry.everCounted) engine.everCounted.add(key);
      if (entry.openTrial !== undefined) engine.openTrial.set(key, entry.openTrial);
      // contribute() keeps each customer's total as the sum of its subscriptions' contributions (a key's
      // customer never changes: it is part of the key).
      engine.userTotal.set(entry.customer, (engine.userTotal.get(entry.customer) ?? 0) + contribution);
    }
    engine.graceEnds = new GraceEnds(totals.graceEnds.map(([at, seq, key]) => ({ at, seq, key })));
    engine.conversions = new Map(totals.conversions.map(([cohort, byMonth]) => [cohort, new Map(byMonth)]));
    engine.seq = totals.seq;
    engine.mrr = totals.mrr;
    engine.payingCustomers = totals.payingCustomers;
    engine.pastDueCount = totals.pastDueCount;
    engine.pastDueAmount = totals.pastDueAmount;
    return engine;
  }

  /** The customers whose subscriptions' past-due graces are still to end (their entries must be given). */
  static graceCustomers(totals: TEngineTotals): string[] {
    return totals.graceEnds.map(([, , key]) => customerOfKey(key));
  }

  /** Trials of starting month `cohort` converted in each later month. */
  conversionsBy(cohort: string): ReadonlyMap<string, number> {
    return this.conversions.get(cohort) ?? new Map();
  }

  /**
   * Applies rows[cursor.next …] with a time before `end`, and the grace ends before it, as month `month` (null:
   * an untracked window, e.g. before a range); returns the month's figures (trialsConverted left 0: see
   * conversionsBy).
   */
  window(
    month: string | null,
    end: number,
    rows: readonly THistoryRow[],
    cursor: { next: number },
  ): TSubscriptionMonth {
    const out = emptyMonth(month ?? '');
    out.mrrStartCents = this.mrr;
    out.payingCustomersStart = this.payingCustomers;
    const startOf = new Map<string, { amount: number; counted: boolean }>();
    const userStart = new Map<string, number>();
    const touch = (key: string, user: string) => {
      if (!startOf.has(key)) {
        startOf.set(key, {
          amount: this.keys.get(key)?.contribution ?? 0,
          counted: this.everCounted.has(key),
        });
      }
      if (!userStart.has(user)) userStart.set(user, this.userTotal.get(user) ?? 0);
    };
    const flushBefore = (time: number) => {
      for (let next = this.graceEnds.peek(); next && next.at < time; next = this.graceEnds.peek()) {
        this.graceEnds.pop();
        const state = this.keys.get(next.key);
        // Cancelled: a later change of the subscription came first.
        if (!state || state.graceEnd !== next.seq) continue;
        touch(next.key, customerOf(state.row));
        state.graceEnd = null;
        this.contribute(next.key, customerOf(state.row), 0);
      }
    };
    for (let row = rows[cursor.next]; row && row.occurredAt.getTime() < end; row = rows[cursor.next]) {
      const at = row.occurredAt.getTime();
      flushBefore(at);
      const key = keyOf(row);
      const user = customerOf(row);
      touch(key, user);
      this.applyRow(row, key, user, at, month, out);
      cursor.next += 1;
    }
    flushBefore(end);
    for (const [key, start] of startOf) {
      const finish = this.keys.get(key)?.contribution ?? 0;
      if (start.amount === 0 && finish > 0) {
        if (start.counted) out.reactivationCents += finish;
        else out.newCents += finish;
      } else if (start.amount > 0 && finish === 0) out.churnCents += start.amount;
      else if (finish > start.amount) out.expansionCents += finish - start.amount;
      else if (finish < start.amount) out.contractionCents += start.amount - finish;
    }
    for (const [user, start] of userStart) {
      if (start > 0 && (this.userTotal.get(user) ?? 0) <= 0) out.churnedCustomers += 1;
    }
    out.mrrEndCents = this.mrr;
    out.payingCustomersEnd = this.payingCustomers;
    out.pastDueCount = this.pastDueCount;
    out.pastDueAmountCents = this.pastDueAmount;
    return out;
  }

  private applyRow(
    row: THistoryRow,
    key: string,
    user: string,
    at: number,
    month: string | null,
    out: TSubscriptionMonth,
  ) {
    const previous = this.keys.get(key);
    const pastDueSince =
      row.status === 'past_due' ? (previous?.row.status === 'past_due' ? previous.pastDueSince : at) : null;
    const contribution = contributionOf(row, at, pastDueSince);
    if (previous?.row.status === 'past_due') {
      this.pastDueCount -= 1;
      this.pastDueAmount -= previous.row.monthlyAmountCents ?? 0;
    }
    if (row.status === 'past_due') {
      this.pastDueCount += 1;
      this.pastDueAmount += row.monthlyAmountCents ?? 0;
    }
    if (row.trial && !previous?.row.trial) {
      this.openTrial.set(key, month);
      if (month !== null) out.trialStarts += 1;
    } else if (this.openTrial.has(key)) {
      const cohort = this.openTrial.get(key) ?? null;
      if (isPaidState(row)) {
        this.openTrial.delete(key);
        if (cohort !== null && month !== null) {
          const byMonth = this.conversions.get(cohort) ?? new Map<string, number>();
          byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
          this.conversions.set(cohort, byMonth);
        }
      } else if (row.status === 'canceled') this.openTrial.delete(key);
    }
    // A new change replaces any grace end still to come; a past due inside its grace starts one.
    const seq = this.seq++;
    const graceEnd = pastDueSince !== null && contribution > 0 ? seq : null;
    if (graceEnd !== null) this.graceEnds.push({ at: (pastDueSince as number) + GRACE_MS, seq, key });
    // States are this engine's own (fromParts makes them, entries copies them out): changed in place.
    if (previous) {
      previous.row = row;
      previous.pastDueSince = pastDueSince;
      previous.graceEnd = graceEnd;
    } else this.keys.set(key, { row, pastDueSince, contribution: 0, graceEnd });
    this.contribute(key, user, contribution);
  }

  /** Sets what a subscription contributes from now on, and moves MRR, its customer's total and paying customers. */
  private contribute(key: string, user: string, contribution: number) {
    const state = this.keys.get(key) as TKeyState;
    const before = state.contribution;
    state.contribution = contribution;
    this.mrr += contribution - before;
    const userBefore = this.userTotal.get(user) ?? 0;
    const userAfter = userBefore + contribution - before;
    this.userTotal.set(user, userAfter);
    if (userBefore <= 0 && userAfter > 0) this.payingCustomers += 1;
    if (userBefore > 0 && userAfter <= 0) this.payingCustomers -= 1;
    if (contribution > 0) this.everCounted.add(key);
  }
}

/**
 * MRR, its movements, paying customers and churn, trials and conversions, and past due, month by month, from
 * the history rows (all of them up to the range's end: earlier ones set the opening state). Pure: the fixture
 * test feeds it known sequences. See the definitions above.
 */
export function computeSubscriptionMetrics(
  rows: readonly THistoryRow[],
  months: readonly TMonth[],
): TSubscriptionMonth[] {
  const engine = new SubscriptionMetricsEngine();
  const cursor = { next: 0 };
  // Everything before the first month only sets the opening state.
  engine.window(null, months[0]?.start.getTime() ?? Number.POSITIVE_INFINITY, rows, cursor);
  const result = months.map((month) => engine.window(month.key, month.end.getTime(), rows, cursor));
  return withConversions(result, engine);
}

/** Each month's trialsConverted: its trials that converted in a month of the same range. */
export function withConversions(
  result: TSubscriptionMonth[],
  engine: SubscriptionMetricsEngine,
): TSubscriptionMonth[] {
  const inRange = new Set(result.map((m) => m.month));
  return result.map((m) => {
    let converted = 0;
    for (const [month, count] of engine.conversionsBy(m.month)) if (inRange.has(month)) converted += count;
    return { ...m, trialsConverted: converted };
  });
}
