import type { TColumnKind, TMetricsCell } from '@/lib/admin/metrics/build-metrics-tables';

/** Cents as dollars, e.g. $1,234.50 (negative with a minus sign). */
export function formatCents(cents: number): string {
  return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

/** A table cell as the page shows it; an undefined rate or total is a dash. */
export function formatMetric(value: TMetricsCell, kind: TColumnKind): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (kind === 'cents') return formatCents(value);
  if (kind === 'percent') return `${value.toFixed(1)} %`;
  return value.toLocaleString('en-US');
}
