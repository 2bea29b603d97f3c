import { parseJsonBody } from '@omg/platform';
import { requireStaff } from '@/lib/admin/require-staff';
import { resendAccountEmail, ZResendAccountEmailSchema } from '@/lib/admin/resend-account-email';
import { supportActorOf, ZCustomerParamsSchema } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * POST { kind: "verification" | "claim", reason } → { kind, to, outgoingEmailId, auditId }; 409 when it does not apply.
 * Everyone but support staff gets the console's 404, whatever the body (the guard runs before the body is read).
 */
export const POST = apiRoute(
  { auth: false, params: ZCustomerParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'support' });
    const body = await parseJsonBody(request, ZResendAccountEmailSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await resendAccountEmail(db(), actor, params.id, body));
  },
);
