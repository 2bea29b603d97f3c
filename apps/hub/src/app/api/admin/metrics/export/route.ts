import { buildMetricsTables, ZMetricsTableIdSchema } from '@/lib/admin/metrics/build-metrics-tables';
import { loadMetrics } from '@/lib/admin/metrics/load-metrics';
import { ZMetricsQuerySchema } from '@/lib/admin/metrics/metrics-query';
import { metricsTableToCsv } from '@/lib/admin/metrics/metrics-table-to-csv';
import { requireStaff } from '@/lib/admin/require-staff';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * GET /api/admin/metrics/export?table=mrr|growth|billing&from=YYYY-MM&to=YYYY-MM&product=… → one dashboard table
 * as a CSV download (text/csv, attachment with a file name saying what and when). Staff only: everyone else gets
 * the console's 404 before the parameters are read.
 */
export const GET = apiRoute({ auth: false }, async ({ request }) => {
  await requireStaff(request, { role: 'support' });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const table = ZMetricsTableIdSchema.parse(params.table);
  const query = ZMetricsQuerySchema.parse(params);
  const csv = metricsTableToCsv(buildMetricsTables(await loadMetrics(db(), query))[table]);
  // Only [a-z0-9_-] reach the name (month keys, a table id, an app id), so it needs no quoting rules beyond these.
  const filename = `omg-metrics-${table}-${query.from}-to-${query.to}-${query.product}.csv`;
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'x-content-type-options': 'nosniff',
    },
  });
});
