import { parseJsonBody } from '@omg/platform';
import { requireStaff } from '@/lib/admin/require-staff';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { unbanCustomer, ZUnbanCustomerSchema } from '@/lib/admin/unban-customer';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * POST { reason } → { auditId }: lifts a ban. Admin only.
 * Everyone but admin staff gets the console's 404, whatever the body (the guard runs before the body is read).
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'admin' });
    const body = await parseJsonBody(request, ZUnbanCustomerSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await unbanCustomer(db(), actor, params.id, body));
  },
);
