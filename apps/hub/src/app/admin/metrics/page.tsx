import { CATALOG } from '@omg/contract';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import type { TChartMonth } from '@/components/admin-metrics-charts';
import { AdminMetricsChartsLazy as AdminMetricsCharts } from '@/components/admin-metrics-charts-lazy';
import { AdminNav } from '@/components/admin-nav';
import { buildMetricsTables, type TMetricsTable } from '@/lib/admin/metrics/build-metrics-tables';
import { PAST_DUE_GRACE_DAYS } from '@/lib/admin/metrics/compute-subscription-metrics';
import { loadMetrics } from '@/lib/admin/metrics/load-metrics';
import { ZMetricsQuerySchema } from '@/lib/admin/metrics/metrics-query';
import { requireStaffPage } from '@/lib/admin/require-staff-page';
import { db } from '@/lib/db';
import { formatCents, formatMetric } from './format-metric';
import { MrrStripeCheck } from './mrr-stripe-check';

export const metadata: Metadata = { title: 'Metrics · Console', robots: { index: false } };

// Figures of now, for staff only: never prerendered or cached.
export const dynamic = 'force-dynamic';

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function Tile({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note?: string;
  testId: string;
}) {
  return (
    <div className="rounded-2xl border border-slate-200 bg-white px-4 py-3" data-testid={testId}>
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold tracking-tight">{value}</p>
      {note ? <p className="mt-0.5 text-xs text-slate-500">{note}</p> : null}
    </div>
  );
}

function MetricsTable({ table, exportHref }: { table: TMetricsTable; exportHref: string }) {
  return (
    <div className="mt-4">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{table.title}</h3>
        <a
          href={exportHref}
          className="rounded-full border border-slate-300 px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100"
          data-testid={`export-${table.id}`}
        >
          Download CSV
        </a>
      </div>
      <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white">
        <table className="min-w-full text-right text-sm" data-testid={`table-${table.id}`}>
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              {table.columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className="whitespace-nowrap px-3 py-2 font-medium first:text-left"
                >
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {[...table.rows, table.total].map((row, index) => (
              <tr
                key={String(row.month ?? index)}
                className={row.month === 'Total' ? 'bg-slate-50 font-medium' : ''}
              >
                {table.columns.map((c) => (
                  <td key={c.key} className="whitespace-nowrap px-3 py-2 tabular-nums first:text-left">
                    {formatMetric(row[c.key] ?? null, c.kind)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * The console's metrics (issue 14): a month range and a product filter in the URL (a plain GET form), KPI tiles,
 * three charts each with its table and CSV export, and the MRR check against Stripe streamed in last. The
 * definitions live in lib/admin/metrics/compute-subscription-metrics.ts.
 */
export default async function AdminMetricsPage({ searchParams }: { searchParams: TSearchParams }) {
  await requireStaffPage('/admin/metrics', { role: 'support' });
  const raw = await searchParams;
  const input = { from: first(raw.from), to: first(raw.to), product: first(raw.product) };
  const parsed = ZMetricsQuerySchema.safeParse(input);
  const query = parsed.success ? parsed.data : ZMetricsQuerySchema.parse({});
  const metrics = await loadMetrics(db(), query);
  const tables = buildMetricsTables(metrics);
  const { mrr, growth, billing } = tables;
  const exportHref = (table: string) =>
    `/api/admin/metrics/export?${new URLSearchParams({ table, from: query.from, to: query.to, product: query.product })}`;
  const charts: TChartMonth[] = metrics.months.map((m) => ({
    month: m.month,
    mrr: m.mrrEndCents / 100,
    new: m.newCents / 100,
    expansion: m.expansionCents / 100,
    reactivation: m.reactivationCents / 100,
    contraction: m.contractionCents / 100,
    churn: m.churnCents / 100,
    signUps: m.signUps,
    trialStarts: m.trialStarts,
    conversionRate: m.trialStarts > 0 ? Math.round((1000 * m.trialsConverted) / m.trialStarts) / 10 : null,
  }));
  const netNew = Number(mrr.total.mrrEnd ?? 0) - Number(mrr.total.mrrStart ?? 0);
  const percentOf = (value: unknown) => formatMetric(value === null ? null : Number(value), 'percent');

  return (
    <div>
      <AdminNav current="/admin/metrics" />
      <h1 className="text-3xl font-semibold tracking-tight">Metrics</h1>
      <form
        method="get"
        className="mt-4 flex flex-wrap items-end gap-3 text-sm"
        aria-label="Range and product"
      >
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">From</span>
          <input
            type="month"
            name="from"
            defaultValue={query.from}
            className="rounded-lg border border-slate-300 px-2 py-1.5"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">To</span>
          <input
            type="month"
            name="to"
            defaultValue={query.to}
            className="rounded-lg border border-slate-300 px-2 py-1.5"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Product</span>
          <select
            aria-label="Product"
            name="product"
            defaultValue={query.product}
            className="rounded-lg border border-slate-300 px-2 py-1.5"
          >
            <option value="all">All products</option>
            {CATALOG.map((p) => (
              <option key={p.appId} value={p.appId}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-full bg-slate-900 px-4 py-1.5 font-medium text-white">
          Show
        </button>
      </form>
      {parsed.success ? null : (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {parsed.error.issues[0]?.message ?? 'That range cannot be shown.'} Showing the last twelve months
          instead.
        </p>
      )}

      <section aria-label="Key figures" className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        <Tile
          testId="kpi-mrr"
          label={`MRR at end of ${query.to}`}
          value={formatCents(Number(mrr.total.mrrEnd))}
        />
        <Tile
          testId="kpi-net-new"
          label="Net new MRR"
          value={formatCents(netNew)}
          note={`${query.from} to ${query.to}`}
        />
        <Tile
          testId="kpi-paying"
          label="Paying customers"
          value={formatMetric(mrr.total.payingCustomers ?? 0, 'count')}
        />
        <Tile
          testId="kpi-churn"
          label="Customer churn (monthly)"
          value={percentOf(mrr.total.customerChurnRate)}
        />
        <Tile testId="kpi-conversion" label="Trial → paid" value={percentOf(growth.total.conversionRate)} />
        <Tile
          testId="kpi-past-due"
          label="Past due now"
          value={formatMetric(billing.total.pastDue ?? 0, 'count')}
          note={`${formatCents(Number(billing.total.atRisk ?? 0))} at risk`}
        />
        <Tile
          testId="kpi-refunds"
          label="Refunds"
          value={formatMetric(billing.total.refunds ?? 0, 'count')}
          note={formatCents(Number(billing.total.refunded ?? 0))}
        />
        <Tile
          testId="kpi-duplicates"
          label="Duplicate payments prevented"
          value={formatMetric(billing.total.duplicates ?? 0, 'count')}
          note={`${formatCents(Number(billing.total.duplicateRefunded ?? 0))} refunded`}
        />
        <Tile
          testId="kpi-webhooks"
          label="Webhook events failed"
          value={formatMetric(billing.total.webhookFailed ?? 0, 'count')}
        />
        <Tile testId="kpi-handoff" label="Hand-off success" value={percentOf(growth.total.handoffRate)} />
      </section>

      <section
        className="mt-6 rounded-2xl border border-slate-200 bg-white px-4 py-3"
        aria-label="MRR compared with Stripe"
      >
        <Suspense fallback={<p className="text-sm text-slate-500">Comparing MRR with Stripe…</p>}>
          <MrrStripeCheck hubCents={metrics.mrrNowCents} product={query.product} />
        </Suspense>
      </section>

      <section className="mt-8" aria-labelledby="mrr-heading">
        <h2 id="mrr-heading" className="text-lg font-semibold">
          MRR over time
        </h2>
        <AdminMetricsCharts chart="mrr" months={charts} />
        <h2 className="mt-6 text-lg font-semibold">MRR movements</h2>
        <AdminMetricsCharts chart="movements" months={charts} />
        <MetricsTable table={mrr} exportHref={exportHref('mrr')} />
      </section>

      <section className="mt-10" aria-labelledby="growth-heading">
        <h2 id="growth-heading" className="text-lg font-semibold">
          Sign-ups, trials and conversion
        </h2>
        <AdminMetricsCharts chart="growth" months={charts} />
        <MetricsTable table={growth} exportHref={exportHref('growth')} />
      </section>

      <section className="mt-10" aria-labelledby="billing-heading">
        <h2 id="billing-heading" className="text-lg font-semibold">
          Billing health
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Past due counts toward MRR for {PAST_DUE_GRACE_DAYS} days. Refunds, duplicates and webhook events
          are for the whole Stripe account: Stripe’s records name no product.
        </p>
        <MetricsTable table={billing} exportHref={exportHref('billing')} />
      </section>
    </div>
  );
}
