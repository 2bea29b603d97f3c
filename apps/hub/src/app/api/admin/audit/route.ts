import { listAuditEntries } from '@/lib/admin/list-audit-entries';
import { requireStaff } from '@/lib/admin/require-staff';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * GET /api/admin/audit → { entries }: the latest 50 audit entries, for staff with a recent check; 404 for everyone
 * else, and 403 RECENT_SIGN_IN_REQUIRED for stale staff (the client sends them to /admin/confirm).
 */
export const GET = apiRoute({ auth: false }, async ({ request }) => {
  await requireStaff(request, { role: 'support' });
  const entries = await listAuditEntries(db(), 50);
  return Response.json({ entries });
});
