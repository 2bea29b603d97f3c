import { z } from 'zod';
import { apiRoute } from '@/lib/api-route';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { revokeInvitation } from '@/lib/organizations/revoke-invitation';
import { ZOrganizationParamsSchema } from '../../params';

const ZParamsSchema = ZOrganizationParamsSchema.extend({ invitationId: z.string().min(1).max(200) });

/** DELETE /api/organizations/[slug]/invitations/[invitationId] → 204: revokes a pending invitation (owners, admins). */
export const DELETE = apiRoute({ params: ZParamsSchema }, async ({ request, session, params }) => {
  const membership = await requireOrganizationRole(session.user.id, params.slug, 'revokeInvitation');
  await revokeInvitation(request.headers, membership, params.invitationId);
  return new Response(null, { status: 204 });
});
