import { apiRoute } from '@/lib/api-route';
import { leaveOrganization } from '@/lib/organizations/leave-organization';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { ZOrganizationParamsSchema } from '../params';

/** POST /api/organizations/[slug]/leave → 204: a member leaves (the owner transfers ownership first: 409). */
export const POST = apiRoute({ params: ZOrganizationParamsSchema }, async ({ request, session, params }) => {
  const membership = await requireOrganizationRole(session.user.id, params.slug, 'leave');
  await leaveOrganization(request.headers, membership);
  return new Response(null, { status: 204 });
});
