import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { getOrganizationOverview } from '@/lib/organizations/get-organization-overview';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { ZOrganizationParamsSchema } from './params';

/**
 * GET /api/organizations/[slug] → the organization, the caller's role, its members, and (owners and admins) the
 * pending invitations with their links. 404 for anyone who is not a member.
 */
export const GET = apiRoute({ params: ZOrganizationParamsSchema }, async ({ session, params }) => {
  const membership = await requireOrganizationRole(session.user.id, params.slug, 'view');
  return Response.json(await getOrganizationOverview(db(), membership));
});
