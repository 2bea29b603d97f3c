import { ZCustomerSearchQuerySchema } from '@/lib/admin/customer-search-query';
import { requireStaff } from '@/lib/admin/require-staff';
import { searchCustomers } from '@/lib/admin/search-customers';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * GET /api/admin/customers?q=&filter=&app=&sort=&dir=&page=&size= → { rows, total, page, pageSize }: the console's
 * customer search, for support and admins with a recent check. The query is validated after the staff check (not
 * through apiRoute's `query`), so everyone else gets the same 404 whatever they send.
 */
export const GET = apiRoute({ auth: false }, async ({ request }) => {
  await requireStaff(request, { role: 'support' });
  const input = ZCustomerSearchQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await searchCustomers(db(), input));
});
