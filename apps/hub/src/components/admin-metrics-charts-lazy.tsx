'use client';

import dynamic from 'next/dynamic';
import type { TChartMonth } from './admin-metrics-charts';

/**
 * The metrics charts, loaded after the page: recharts is the biggest library in the Hub (around 100 KB gzipped),
 * so it is fetched only by /admin/metrics and only once the page (its tiles and tables, rendered on the server)
 * is on screen — never part of any page's first JavaScript (README "JavaScript per page").
 */
const Charts = dynamic(() => import('./admin-metrics-charts').then((m) => m.AdminMetricsCharts), {
  ssr: false,
  loading: () => <div className="h-[260px] animate-pulse rounded-xl bg-slate-50" aria-hidden="true" />,
});

export function AdminMetricsChartsLazy(props: {
  chart: 'mrr' | 'movements' | 'growth';
  months: TChartMonth[];
}) {
  return <Charts {...props} />;
}
