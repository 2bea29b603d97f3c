import { parseJsonBody } from '@omg/platform';
import { banCustomer, ZBanCustomerSchema } from '@/lib/admin/ban-customer';
import { requireStaff } from '@/lib/admin/require-staff';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * POST { reason } → { bannedAt, sessionsEnded, auditId }: no sign-in from now on, every session ended. Support may ban.
 * Everyone but support staff gets the console's 404, whatever the body (the guard runs before the body is read).
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'support' });
    const body = await parseJsonBody(request, ZBanCustomerSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await banCustomer(db(), actor, params.id, body));
  },
);
