'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** One month as the charts draw it: money in dollars, conversion as a percentage (null when no trial started). */
export interface TChartMonth {
  month: string;
  mrr: number;
  new: number;
  expansion: number;
  reactivation: number;
  contraction: number;
  churn: number;
  signUps: number;
  trialStarts: number;
  conversionRate: number | null;
}

const dollars = (value: number) =>
  value.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const HEIGHT = 260;

function Empty({ children }: { children: string }) {
  return (
    <p className="flex h-[260px] items-center justify-center rounded-xl bg-slate-50 px-6 text-center text-sm text-slate-500">
      {children}
    </p>
  );
}

/**
 * The metrics page's charts (recharts). Only admin-metrics-charts-lazy.tsx imports this module, with next/dynamic:
 * the chart library is a chunk of its own, loaded by /admin/metrics after the page and by no other page.
 */
export function AdminMetricsCharts({
  chart,
  months,
}: {
  chart: 'mrr' | 'movements' | 'growth';
  months: TChartMonth[];
}) {
  if (chart === 'mrr') {
    if (months.every((m) => m.mrr === 0)) return <Empty>No recurring revenue in this range.</Empty>;
    return (
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={months} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="month" fontSize={12} />
          <YAxis tickFormatter={dollars} fontSize={12} width={72} />
          <Tooltip formatter={(value) => dollars(Number(value))} />
          <Line type="monotone" dataKey="mrr" name="MRR" stroke="#3b55e6" strokeWidth={2} dot={false} />
        </LineChart>
      </ResponsiveContainer>
    );
  }
  if (chart === 'movements') {
    const moved = months.some((m) => m.new || m.expansion || m.reactivation || m.contraction || m.churn);
    if (!moved) return <Empty>No MRR movements in this range.</Empty>;
    // Losses below the axis: contraction and churn are drawn negative, stacked from zero downwards.
    const data = months.map((m) => ({ ...m, contraction: -m.contraction, churn: -m.churn }));
    return (
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} stackOffset="sign" margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="month" fontSize={12} />
          <YAxis tickFormatter={dollars} fontSize={12} width={72} />
          <Tooltip formatter={(value) => dollars(Number(value))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="new" name="New" stackId="m" fill="#16a34a" />
          <Bar dataKey="expansion" name="Expansion" stackId="m" fill="#3b55e6" />
          <Bar dataKey="reactivation" name="Reactivation" stackId="m" fill="#0891b2" />
          <Bar dataKey="contraction" name="Contraction" stackId="m" fill="#f59e0b" />
          <Bar dataKey="churn" name="Churn" stackId="m" fill="#dc2626" />
        </BarChart>
      </ResponsiveContainer>
    );
  }
  if (months.every((m) => m.signUps === 0 && m.trialStarts === 0)) {
    return <Empty>No sign-ups or trials in this range.</Empty>;
  }
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <ComposedChart data={months} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="month" fontSize={12} />
        <YAxis yAxisId="count" allowDecimals={false} fontSize={12} width={48} />
        <YAxis yAxisId="rate" orientation="right" unit=" %" domain={[0, 100]} fontSize={12} width={48} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="count" dataKey="signUps" name="Sign-ups" fill="#94a3b8" />
        <Bar yAxisId="count" dataKey="trialStarts" name="Trial starts" fill="#3b55e6" />
        <Line
          yAxisId="rate"
          type="monotone"
          dataKey="conversionRate"
          name="Trial → paid %"
          stroke="#16a34a"
          strokeWidth={2}
          connectNulls
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
