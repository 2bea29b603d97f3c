import { apiRoute } from '@/lib/api-route';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { transferOwnership, ZTransferOwnershipSchema } from '@/lib/organizations/transfer-ownership';
import { ZOrganizationParamsSchema } from '../params';

/** POST /api/organizations/[slug]/transfer { membershipId } → 204: the owner hands ownership over, staying admin. */
export const POST = apiRoute(
  { params: ZOrganizationParamsSchema, body: ZTransferOwnershipSchema },
  async ({ session, params, body }) => {
    const membership = await requireOrganizationRole(session.user.id, params.slug, 'transferOwnership');
    await transferOwnership(membership, body);
    return new Response(null, { status: 204 });
  },
);
