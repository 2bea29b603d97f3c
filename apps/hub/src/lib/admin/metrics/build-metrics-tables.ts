import { CATALOG } from '@omg/contract';
import { z } from 'zod';
import type { TMetrics, TMetricsMonth } from './load-metrics';

/** The dashboard's tables, each shown under its chart and exported as CSV by this id. */
export const METRICS_TABLE_IDS = ['mrr', 'growth', 'billing'] as const;
export const ZMetricsTableIdSchema = z.enum(METRICS_TABLE_IDS);
export type TMetricsTableId = z.infer<typeof ZMetricsTableIdSchema>;

/** How a column's values read: money in cents, a count, a percentage (0–100, null when undefined), text. */
export type TColumnKind = 'text' | 'cents' | 'count' | 'percent';
export interface TMetricsColumn {
  key: string;
  label: string;
  kind: TColumnKind;
}
export type TMetricsCell = string | number | null;
export interface TMetricsTable {
  id: TMetricsTableId;
  title: string;
  columns: TMetricsColumn[];
  rows: Record<string, TMetricsCell>[];
  /** The range as one row (sums; rates over the summed counts; opening and closing MRR for the MRR table). */
  total: Record<string, TMetricsCell>;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);
const sum = (months: readonly TMetricsMonth[], pick: (m: TMetricsMonth) => number) =>
  months.reduce((total, m) => total + pick(m), 0);

/** A column as the tables are described: its month's cell and the range's (by default the months' sum). */
interface TColumnSpec extends TMetricsColumn {
  cell: (m: TMetricsMonth) => number | null;
  total?: (months: readonly TMetricsMonth[]) => TMetricsCell;
}

type TPick = (m: TMetricsMonth) => number;

/** How a figure's range total comes from its months: summed (a flow), or the first or the last month's (a state). */
const RANGE_TOTAL = {
  sum: (months: readonly TMetricsMonth[], pick: TPick) => sum(months, pick),
  first: (months: readonly TMetricsMonth[], pick: TPick) => (months[0] ? pick(months[0]) : 0),
  last: (months: readonly TMetricsMonth[], pick: TPick) => {
    const last = months.at(-1);
    return last ? pick(last) : 0;
  },
};

/** Columns of one figure a month, whose range total is taken as `total` says. */
const figure =
  (total: keyof typeof RANGE_TOTAL) =>
  (key: string, label: string, kind: TColumnKind, pick: TPick): TColumnSpec => ({
    key,
    label,
    kind,
    cell: pick,
    total: (months) => RANGE_TOTAL[total](months, pick),
  });
/** A flow: the month's figure, summed over the range. */
const flow = figure('sum');
/** A state at the month's start: the range's is its first month's. */
const stateAtStart = figure('first');
/** A state at the month's end: the range's is its last month's. */
const stateAtEnd = figure('last');

/** A rate of two flows: per month, and over the range from the summed counts. */
const ratio = (
  key: string,
  label: string,
  part: (m: TMetricsMonth) => number,
  whole: (m: TMetricsMonth) => number,
): TColumnSpec => ({
  key,
  label,
  kind: 'percent',
  cell: (m) => rate(part(m), whole(m)),
  total: (months) => rate(sum(months, part), sum(months, whole)),
});

/** One table: a row per month (the month first), and the total row. */
function table(
  id: TMetricsTableId,
  title: string,
  months: readonly TMetricsMonth[],
  columns: readonly TColumnSpec[],
): TMetricsTable {
  return {
    id,
    title,
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      ...columns.map(({ key, label, kind }) => ({ key, label, kind })),
    ],
    rows: months.map((m) => ({
      month: m.month,
      ...Object.fromEntries(columns.map((c) => [c.key, c.cell(m)])),
    })),
    total: {
      month: 'Total',
      ...Object.fromEntries(columns.map((c) => [c.key, c.total ? c.total(months) : null])),
    },
  };
}

function mrrTable(months: readonly TMetricsMonth[]): TMetricsTable {
  return table('mrr', 'MRR and its movements', months, [
    stateAtStart('mrrStart', 'MRR at start', 'cents', (m) => m.mrrStartCents),
    flow('new', 'New', 'cents', (m) => m.newCents),
    flow('expansion', 'Expansion', 'cents', (m) => m.expansionCents),
    flow('reactivation', 'Reactivation', 'cents', (m) => m.reactivationCents),
    flow('contraction', 'Contraction', 'cents', (m) => m.contractionCents),
    flow('churn', 'Churn', 'cents', (m) => m.churnCents),
    stateAtEnd('mrrEnd', 'MRR at end', 'cents', (m) => m.mrrEndCents),
    stateAtEnd('payingCustomers', 'Paying customers', 'count', (m) => m.payingCustomersEnd),
    flow('churnedCustomers', 'Churned customers', 'count', (m) => m.churnedCustomers),
    // Customer-months weighted: churned over paying customers at the start of each month, summed.
    ratio(
      'customerChurnRate',
      'Customer churn %',
      (m) => m.churnedCustomers,
      (m) => m.payingCustomersStart,
    ),
  ]);
}

function growthTable(months: readonly TMetricsMonth[], apps: readonly string[]): TMetricsTable {
  return table('growth', 'Sign-ups, trials and activity', months, [
    flow('signUps', 'Sign-ups', 'count', (m) => m.signUps),
    flow('trialStarts', 'Trial starts', 'count', (m) => m.trialStarts),
    flow('trialsConverted', 'Trials converted', 'count', (m) => m.trialsConverted),
    ratio(
      'conversionRate',
      'Trial → paid %',
      (m) => m.trialsConverted,
      (m) => m.trialStarts,
    ),
    // Accounts active in several months count once per month: no distinct count across the range (no total).
    { key: 'activeUsers', label: 'Active users', kind: 'count', cell: (m) => m.activeUsers },
    ...apps.map(
      (appId): TColumnSpec => ({
        key: `active_${appId}`,
        label: `Active users: ${CATALOG.find((p) => p.appId === appId)?.name ?? appId}`,
        kind: 'count',
        cell: (m) => m.activeUsersByApp[appId] ?? 0,
      }),
    ),
    flow('handoffsIssued', 'Hand-offs issued', 'count', (m) => m.handoffsIssued),
    flow('handoffsConsumed', 'Hand-offs completed', 'count', (m) => m.handoffsConsumed),
    ratio(
      'handoffRate',
      'Hand-off success %',
      (m) => m.handoffsConsumed,
      (m) => m.handoffsIssued,
    ),
  ]);
}

function billingTable(months: readonly TMetricsMonth[]): TMetricsTable {
  return table('billing', 'Past due, refunds, duplicates and webhooks', months, [
    stateAtEnd('pastDue', 'Past due at end', 'count', (m) => m.pastDueCount),
    stateAtEnd('atRisk', 'Amount at risk', 'cents', (m) => m.pastDueAmountCents),
    flow('refunds', 'Refunds', 'count', (m) => m.refunds),
    flow('refunded', 'Refunded', 'cents', (m) => m.refundedCents),
    flow('duplicates', 'Duplicate payments prevented', 'count', (m) => m.duplicatesPrevented),
    flow('duplicateRefunded', 'Duplicate charges refunded', 'cents', (m) => m.duplicateRefundedCents),
    flow('webhookEvents', 'Webhook events', 'count', (m) => m.webhookEvents),
    flow('webhookFailed', 'Failed at least once', 'count', (m) => m.webhookEventsFailed),
    flow('webhookFailing', 'Still failing', 'count', (m) => m.webhookEventsFailing),
  ]);
}

/** The three tables of the dashboard (and of its CSV export) from loadMetrics' months. */
export function buildMetricsTables(metrics: TMetrics): Record<TMetricsTableId, TMetricsTable> {
  const apps = metrics.query.product === 'all' ? CATALOG.map((p) => p.appId) : [metrics.query.product];
  return {
    mrr: mrrTable(metrics.months),
    growth: growthTable(metrics.months, apps),
    billing: billingTable(metrics.months),
  };
}
