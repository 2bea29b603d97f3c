import { parseJsonBody } from '@omg/platform';
import { reconcileCustomer, ZReconcileCustomerSchema } from '@/lib/admin/reconcile-customer';
import { requireStaff } from '@/lib/admin/require-staff';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { stripe } from '@/lib/stripe/client';

/**
 * POST { reason } → { report, summary, auditId }: billing reconciliation for this customer only, repairs applied.
 * Everyone but support staff gets the console's 404, whatever the body (the guard runs before the body is read).
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'support' });
    const body = await parseJsonBody(request, ZReconcileCustomerSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await reconcileCustomer(db(), stripe(), actor, params.id, body));
  },
);
