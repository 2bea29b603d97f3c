import { z } from 'zod';
import { apiRoute } from '@/lib/api-route';
import { changeMemberRole, ZChangeMemberRoleSchema } from '@/lib/organizations/change-member-role';
import { removeMember } from '@/lib/organizations/remove-member';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { ZOrganizationParamsSchema } from '../../params';

const ZParamsSchema = ZOrganizationParamsSchema.extend({ memberId: z.string().min(1).max(200) });

/** PATCH /api/organizations/[slug]/members/[memberId] { role } → { member }: owners and admins change a role. */
export const PATCH = apiRoute(
  { params: ZParamsSchema, body: ZChangeMemberRoleSchema },
  async ({ request, session, params, body }) => {
    const membership = await requireOrganizationRole(session.user.id, params.slug, 'changeRole');
    const member = await changeMemberRole(request.headers, membership, params.memberId, body);
    return Response.json({ member });
  },
);

/** DELETE /api/organizations/[slug]/members/[memberId] → 204: owners and admins remove a member. */
export const DELETE = apiRoute({ params: ZParamsSchema }, async ({ request, session, params }) => {
  const membership = await requireOrganizationRole(session.user.id, params.slug, 'removeMember');
  await removeMember(request.headers, membership, params.memberId);
  return new Response(null, { status: 204 });
});
