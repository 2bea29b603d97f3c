import { apiRoute } from '@/lib/api-route';
import { respondToInvitation, ZInvitationParamsSchema } from '@/lib/organizations/respond-to-invitation';

/**
 * POST /api/invitations/[id]/accept → { slug }: the signed-in user joins with the invitation's role, and the
 * organization becomes their active account. 403 for another address's invitation, 404 for a spent or expired one.
 */
export const POST = apiRoute({ params: ZInvitationParamsSchema }, async ({ request, params }) => {
  return Response.json(await respondToInvitation(request.headers, params.id, 'accept'));
});
