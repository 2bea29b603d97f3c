import { stringify } from 'csv-stringify/sync';
import type { TMetricsCell, TMetricsColumn, TMetricsTable } from './build-metrics-tables';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): `=HYPERLINK(…)`, `+cmd`,
 * `-2+3`, `@SUM(…)`, and a tab or carriage return before one of them. Such text is written with a leading
 * apostrophe, which spreadsheets show as text and never evaluate. Numbers are written as numbers (a negative
 * number is data, not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCsvText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Money in cents becomes dollars with two decimals; percentages stay 0–100 with one; an empty cell stays empty. */
function cell(value: TMetricsCell, column: TMetricsColumn): string | number {
  if (value === null) return '';
  if (typeof value === 'string') return safeCsvText(value);
  if (column.kind === 'cents') return (value / 100).toFixed(2);
  return value;
}

/** One table as RFC 4180 CSV (header line, a line per month, the total line), every text cell injection-safe. */
export function metricsTableToCsv(table: TMetricsTable): string {
  const records = [...table.rows, table.total].map((row) =>
    table.columns.map((column) => cell(row[column.key] ?? null, column)),
  );
  return stringify([table.columns.map((c) => safeCsvText(c.label)), ...records], {
    record_delimiter: '\r\n',
    quoted_match: /[",\r\n]/,
  });
}
