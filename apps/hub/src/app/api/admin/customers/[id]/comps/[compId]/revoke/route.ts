import { parseJsonBody } from '@omg/platform';
import { z } from 'zod';
import { requireStaff } from '@/lib/admin/require-staff';
import { revokeComp, ZRevokeCompSchema } from '@/lib/admin/revoke-comp';
import { supportActorOf } from '@/lib/admin/support-actor';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

const ZParamsSchema = z.object({ id: z.string(), compId: z.string() });

/**
 * POST { reason } → { revokedAt, auditId }: ends a comp early; the customer is back on their own plan on the next
 * request. Admin only, as granting is; everyone else gets the console's 404.
 */
export const POST = apiRoute(
  { auth: false, params: ZParamsSchema },
  async ({ request, requestId, params }) => {
    const staff = await requireStaff(request, { role: 'admin' });
    const body = await parseJsonBody(request, ZRevokeCompSchema);
    const actor = supportActorOf(staff, request, requestId);
    return Response.json(await revokeComp(db(), actor, params.id, params.compId, body));
  },
);
