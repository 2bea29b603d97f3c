import { apiRoute } from '@/lib/api-route';
import { respondToInvitation, ZInvitationParamsSchema } from '@/lib/organizations/respond-to-invitation';

/** POST /api/invitations/[id]/decline → 204: the invited address says no; the link stops working. */
export const POST = apiRoute({ params: ZInvitationParamsSchema }, async ({ request, params }) => {
  await respondToInvitation(request.headers, params.id, 'decline');
  return new Response(null, { status: 204 });
});
