import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { revokeShareLink } from '@/lib/shares/revoke-share-link';
import { ZShareLinkParamsSchema } from '@/lib/shares/share-link-view';
import { spaceOf } from '@/lib/spaces/space-of-session';

/** Revokes a link: its next request is refused. Revoking it again is a no-op (204 both times). */
export const DELETE = apiRoute({ params: ZShareLinkParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const result = await revokeShareLink(db(), { ...space, linkId: params.id });
  if (result.revoked) {
    await recordTeamActivity(db(), space, request, {
      action: 'share_revoke',
      subject: result.targetName,
      documentId: result.documentId ?? undefined,
    });
  }
  return new Response(null, { status: 204 });
});
