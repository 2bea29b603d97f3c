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

function mrrTable(months: readonly TMetricsMonth[]): TMetricsTable {
  const row = (m: TMetricsMonth) => ({
    mrrStart: m.mrrStartCents,
    new: m.newCents,
    expansion: m.expansionCents,
    reactivation: m.reactivationCents,
    contraction: m.contractionCents,
    churn: m.churnCents,
    mrrEnd: m.mrrEndCents,
    payingCustomers: m.payingCustomersEnd,
    churnedCustomers: m.churnedCustomers,
    customerChurnRate: rate(m.churnedCustomers, m.payingCustomersStart),
  });
  const first = months[0];
  const last = months.at(-1);
  return {
    id: 'mrr',
    title: 'MRR and its movements',
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'mrrStart', label: 'MRR at start', kind: 'cents' },
      { key: 'new', label: 'New', kind: 'cents' },
      { key: 'expansion', label: 'Expansion', kind: 'cents' },
      { key: 'reactivation', label: 'Reactivation', kind: 'cents' },
      { key: 'contraction', label: 'Contraction', kind: 'cents' },
      { key: 'churn', label: 'Churn', kind: 'cents' },
      { key: 'mrrEnd', label: 'MRR at end', kind: 'cents' },
      { key: 'payingCustomers', label: 'Paying customers', kind: 'count' },
      { key: 'churnedCustomers', label: 'Churned customers', kind: 'count' },
      { key: 'customerChurnRate', label: 'Customer churn %', kind: 'percent' },
    ],
    rows: months.map((m) => ({ month: m.month, ...row(m) })),
    total: {
      month: 'Total',
      mrrStart: first?.mrrStartCents ?? 0,
      new: sum(months, (m) => m.newCents),
      expansion: sum(months, (m) => m.expansionCents),
      reactivation: sum(months, (m) => m.reactivationCents),
      contraction: sum(months, (m) => m.contractionCents),
      churn: sum(months, (m) => m.churnCents),
      mrrEnd: last?.mrrEndCents ?? 0,
      payingCustomers: last?.payingCustomersEnd ?? 0,
      churnedCustomers: sum(months, (m) => m.churnedCustomers),
      // Customer-months weighted: churned over paying customers at the start of each month, summed.
      customerChurnRate: rate(
        sum(months, (m) => m.churnedCustomers),
        sum(months, (m) => m.payingCustomersStart),
      ),
    },
  };
}

function growthTable(months: readonly TMetricsMonth[], apps: readonly string[]): TMetricsTable {
  const appColumns = apps.map((appId) => ({
    key: `active_${appId}`,
    label: `Active users: ${CATALOG.find((p) => p.appId === appId)?.name ?? appId}`,
    kind: 'count' as const,
  }));
  return {
    id: 'growth',
    title: 'Sign-ups, trials and activity',
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'signUps', label: 'Sign-ups', kind: 'count' },
      { key: 'trialStarts', label: 'Trial starts', kind: 'count' },
      { key: 'trialsConverted', label: 'Trials converted', kind: 'count' },
      { key: 'conversionRate', label: 'Trial → paid %', kind: 'percent' },
      { key: 'activeUsers', label: 'Active users', kind: 'count' },
      ...appColumns,
      { key: 'handoffsIssued', label: 'Hand-offs issued', kind: 'count' },
      { key: 'handoffsConsumed', label: 'Hand-offs completed', kind: 'count' },
      { key: 'handoffRate', label: 'Hand-off success %', kind: 'percent' },
    ],
    rows: months.map((m) => ({
      month: m.month,
      signUps: m.signUps,
      trialStarts: m.trialStarts,
      trialsConverted: m.trialsConverted,
      conversionRate: rate(m.trialsConverted, m.trialStarts),
      activeUsers: m.activeUsers,
      ...Object.fromEntries(apps.map((appId) => [`active_${appId}`, m.activeUsersByApp[appId] ?? 0])),
      handoffsIssued: m.handoffsIssued,
      handoffsConsumed: m.handoffsConsumed,
      handoffRate: rate(m.handoffsConsumed, m.handoffsIssued),
    })),
    total: {
      month: 'Total',
      signUps: sum(months, (m) => m.signUps),
      trialStarts: sum(months, (m) => m.trialStarts),
      trialsConverted: sum(months, (m) => m.trialsConverted),
      conversionRate: rate(
        sum(months, (m) => m.trialsConverted),
        sum(months, (m) => m.trialStarts),
      ),
      // Accounts active in several months count once per month: no distinct count across the range here.
      activeUsers: null,
      ...Object.fromEntries(apps.map((appId) => [`active_${appId}`, null])),
      handoffsIssued: sum(months, (m) => m.handoffsIssued),
      handoffsConsumed: sum(months, (m) => m.handoffsConsumed),
      handoffRate: rate(
        sum(months, (m) => m.handoffsConsumed),
        sum(months, (m) => m.handoffsIssued),
      ),
    },
  };
}

function billingTable(months: readonly TMetricsMonth[]): TMetricsTable {
  const last = months.at(-1);
  return {
    id: 'billing',
    title: 'Past due, refunds, duplicates and webhooks',
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'pastDue', label: 'Past due at end', kind: 'count' },
      { key: 'atRisk', label: 'Amount at risk', kind: 'cents' },
      { key: 'refunds', label: 'Refunds', kind: 'count' },
      { key: 'refunded', label: 'Refunded', kind: 'cents' },
      { key: 'duplicates', label: 'Duplicate payments prevented', kind: 'count' },
      { key: 'duplicateRefunded', label: 'Duplicate charges refunded', kind: 'cents' },
      { key: 'webhookEvents', label: 'Webhook events', kind: 'count' },
      { key: 'webhookFailed', label: 'Failed at least once', kind: 'count' },
      { key: 'webhookFailing', label: 'Still failing', kind: 'count' },
    ],
    rows: months.map((m) => ({
      month: m.month,
      pastDue: m.pastDueCount,
      atRisk: m.pastDueAmountCents,
      refunds: m.refunds,
      refunded: m.refundedCents,
      duplicates: m.duplicatesPrevented,
      duplicateRefunded: m.duplicateRefundedCents,
      webhookEvents: m.webhookEvents,
      webhookFailed: m.webhookEventsFailed,
      webhookFailing: m.webhookEventsFailing,
    })),
    total: {
      month: 'Total',
      // A state, not a flow: the last month's.
      pastDue: last?.pastDueCount ?? 0,
      atRisk: last?.pastDueAmountCents ?? 0,
      refunds: sum(months, (m) => m.refunds),
      refunded: sum(months, (m) => m.refundedCents),
      duplicates: sum(months, (m) => m.duplicatesPrevented),
      duplicateRefunded: sum(months, (m) => m.duplicateRefundedCents),
      webhookEvents: sum(months, (m) => m.webhookEvents),
      webhookFailed: sum(months, (m) => m.webhookEventsFailed),
      webhookFailing: sum(months, (m) => m.webhookEventsFailing),
    },
  };
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
