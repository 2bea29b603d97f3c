import { buildMetricsTables } from '@/lib/admin/metrics/build-metrics-tables';
import { loadMetrics } from '@/lib/admin/metrics/load-metrics';
import { ZMetricsQuerySchema } from '@/lib/admin/metrics/metrics-query';
import { requireStaff } from '@/lib/admin/require-staff';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * GET /api/admin/metrics?from=YYYY-MM&to=YYYY-MM&product=all|<appId> → { months, mrrNowCents, tables }: the
 * dashboard's figures as JSON. Staff only (404 for everyone else, checked before the query is even read).
 */
export const GET = apiRoute({ auth: false }, async ({ request }) => {
  await requireStaff(request, { role: 'support' });
  const query = ZMetricsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const metrics = await loadMetrics(db(), query);
  return Response.json({
    from: query.from,
    to: query.to,
    product: query.product,
    months: metrics.months,
    mrrNowCents: metrics.mrrNowCents,
    tables: buildMetricsTables(metrics),
  });
});
