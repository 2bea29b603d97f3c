import { parseJsonBody } from '@omg/platform';
import { endCustomerSessions, ZEndCustomerSessionsSchema } from '@/lib/admin/end-customer-sessions';
import { requireStaff } from '@/lib/admin/require-staff';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * POST { reason } → { ended, auditId }: ends every Hub session of the customer (and so their SVD sessions).
 * Everyone but support staff gets the console's 404, whatever the body (the guard runs before the body is read).
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'support' });
    const body = await parseJsonBody(request, ZEndCustomerSessionsSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await endCustomerSessions(db(), actor, params.id, body));
  },
);
