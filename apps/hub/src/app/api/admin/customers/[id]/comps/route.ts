import { parseJsonBody } from '@omg/platform';
import { grantComp, ZGrantCompSchema } from '@/lib/admin/grant-comp';
import { requireStaff } from '@/lib/admin/require-staff';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * POST { appId, plan, endsAt, reason } → the comp and its auditId: free access to a plan until endsAt. Admin only.
 * Everyone but admin staff gets the console's 404, whatever the body (the guard runs before the body is read).
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'admin' });
    const body = await parseJsonBody(request, ZGrantCompSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await grantComp(db(), actor, params.id, body));
  },
);
