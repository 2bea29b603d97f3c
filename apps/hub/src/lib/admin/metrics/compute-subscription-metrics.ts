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

interface TEvent {
  at: number;
  key: string;
  user: string;
  /** The row's state, or null for the end of a past-due grace (the state stays, its contribution ends). */
  row: THistoryRow | null;
  contribution: number;
}

/** The customer: a person, or for a business subscription its organization. */
const customerOf = (row: THistoryRow) =>
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

/** Every change as an event with what it contributes from then on, plus the end of each past-due grace. */
function toEvents(rows: readonly THistoryRow[]): TEvent[] {
  const events: TEvent[] = [];
  const lastOf = new Map<string, { row: THistoryRow; pastDueSince: number | null; index: number }>();
  const graceEnds: { index: number; at: number }[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    const at = row.occurredAt.getTime();
    const previous = lastOf.get(key);
    const pastDueSince =
      row.status === 'past_due' ? (previous?.row.status === 'past_due' ? previous.pastDueSince : at) : null;
    const event: TEvent = {
      at,
      key,
      user: customerOf(row),
      row,
      contribution: contributionOf(row, at, pastDueSince),
    };
    lastOf.set(key, { row, pastDueSince, index: events.length });
    events.push(event);
    if (pastDueSince !== null && event.contribution > 0)
      graceEnds.push({ index: events.length - 1, at: pastDueSince + GRACE_MS });
  }
  // A grace ends unless the next change of the same subscription comes first (it carries its own contribution).
  const nextAt = new Map<number, number>();
  const lastIndex = new Map<string, number>();
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i] as TEvent;
    const later = lastIndex.get(event.key);
    if (later !== undefined) nextAt.set(i, (events[later] as TEvent).at);
    lastIndex.set(event.key, i);
  }
  const ends: TEvent[] = [];
  for (const { index, at } of graceEnds) {
    const next = nextAt.get(index);
    const source = events[index] as TEvent;
    if (next === undefined || next > at) ends.push({ ...source, at, row: null, contribution: 0 });
  }
  // Stable: rows keep their order (occurredAt, id); a grace end sorts after a row of the same instant.
  return [...events, ...ends]
    .map((event, order) => ({ event, order }))
    .sort((a, b) => a.event.at - b.event.at || a.order - b.order)
    .map(({ event }) => event);
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
  const events = toEvents(rows);
  const contribution = new Map<string, number>();
  const everCounted = new Set<string>();
  const userTotal = new Map<string, number>();
  const state = new Map<string, THistoryRow>();
  const openTrial = new Map<string, number>();
  let mrr = 0;
  let payingCustomers = 0;
  let pastDueCount = 0;
  let pastDueAmount = 0;
  const result: TSubscriptionMonth[] = months.map((m) => ({
    month: m.key,
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
  }));

  const setPastDue = (row: THistoryRow | undefined, sign: 1 | -1) => {
    if (row?.status !== 'past_due') return;
    pastDueCount += sign;
    pastDueAmount += sign * (row.monthlyAmountCents ?? 0);
  };

  let cursor = 0;
  const apply = (event: TEvent, monthIndex: number | null) => {
    const before = contribution.get(event.key) ?? 0;
    if (event.row) {
      const previous = state.get(event.key);
      setPastDue(previous, -1);
      setPastDue(event.row, 1);
      state.set(event.key, event.row);
      if (event.row.trial && !previous?.trial) {
        openTrial.set(event.key, monthIndex ?? -1);
        if (monthIndex !== null) (result[monthIndex] as TSubscriptionMonth).trialStarts += 1;
      } else if (openTrial.has(event.key)) {
        const cohort = openTrial.get(event.key) ?? -1;
        if (isPaidState(event.row)) {
          openTrial.delete(event.key);
          if (cohort >= 0 && monthIndex !== null) (result[cohort] as TSubscriptionMonth).trialsConverted += 1;
        } else if (event.row.status === 'canceled') openTrial.delete(event.key);
      }
    }
    contribution.set(event.key, event.contribution);
    mrr += event.contribution - before;
    const userBefore = userTotal.get(event.user) ?? 0;
    const userAfter = userBefore + event.contribution - before;
    userTotal.set(event.user, userAfter);
    if (userBefore <= 0 && userAfter > 0) payingCustomers += 1;
    if (userBefore > 0 && userAfter <= 0) payingCustomers -= 1;
  };

  // Everything before the first month only sets the opening state.
  const firstStart = months[0]?.start.getTime() ?? Number.POSITIVE_INFINITY;
  while (cursor < events.length && (events[cursor] as TEvent).at < firstStart) {
    const event = events[cursor] as TEvent;
    apply(event, null);
    if (event.contribution > 0) everCounted.add(event.key);
    cursor += 1;
  }

  months.forEach((month, index) => {
    const out = result[index] as TSubscriptionMonth;
    out.mrrStartCents = mrr;
    out.payingCustomersStart = payingCustomers;
    const startOf = new Map<string, { amount: number; counted: boolean }>();
    const userStart = new Map<string, number>();
    const end = month.end.getTime();
    while (cursor < events.length && (events[cursor] as TEvent).at < end) {
      const event = events[cursor] as TEvent;
      if (!startOf.has(event.key)) {
        startOf.set(event.key, {
          amount: contribution.get(event.key) ?? 0,
          counted: everCounted.has(event.key),
        });
      }
      if (!userStart.has(event.user)) userStart.set(event.user, userTotal.get(event.user) ?? 0);
      apply(event, index);
      if (event.contribution > 0) everCounted.add(event.key);
      cursor += 1;
    }
    for (const [key, start] of startOf) {
      const finish = contribution.get(key) ?? 0;
      if (start.amount === 0 && finish > 0) {
        if (start.counted) out.reactivationCents += finish;
        else out.newCents += finish;
      } else if (start.amount > 0 && finish === 0) out.churnCents += start.amount;
      else if (finish > start.amount) out.expansionCents += finish - start.amount;
      else if (finish < start.amount) out.contractionCents += start.amount - finish;
    }
    for (const [user, start] of userStart) {
      if (start > 0 && (userTotal.get(user) ?? 0) <= 0) out.churnedCustomers += 1;
    }
    out.mrrEndCents = mrr;
    out.payingCustomersEnd = payingCustomers;
    out.pastDueCount = pastDueCount;
    out.pastDueAmountCents = pastDueAmount;
  });
  return result;
}
