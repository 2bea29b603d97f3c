import { apiRoute } from '@/lib/api-route';
import {
  setActiveOrganization,
  ZSetActiveOrganizationSchema,
} from '@/lib/organizations/set-active-organization';

/**
 * POST /api/active-organization { organizationId | null } → { organizationId }: the header's switcher. The
 * session's active account becomes one of the caller's organizations, or Personal (null); 404 for any other id.
 */
export const POST = apiRoute({ body: ZSetActiveOrganizationSchema }, async ({ request, session, body }) => {
  return Response.json(await setActiveOrganization(request.headers, session.user.id, body));
});
