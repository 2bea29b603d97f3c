import { apiRoute } from '@/lib/api-route';
import { inviteMember, ZInviteMemberSchema } from '@/lib/organizations/invite-member';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { ZOrganizationParamsSchema } from '../params';

/**
 * POST /api/organizations/[slug]/invitations { email, role } → 201 { invitation } with its `url` (the mail is
 * queued too). Owners and admins; role admin, member or viewer.
 */
export const POST = apiRoute(
  { params: ZOrganizationParamsSchema, body: ZInviteMemberSchema },
  async ({ request, session, params, body }) => {
    const membership = await requireOrganizationRole(session.user.id, params.slug, 'invite');
    const invitation = await inviteMember(request.headers, membership, body);
    return Response.json({ invitation }, { status: 201 });
  },
);
