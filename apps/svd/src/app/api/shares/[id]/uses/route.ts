import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { listShareLinkUses } from '@/lib/shares/list-share-link-uses';
import { ZShareLinkParamsSchema } from '@/lib/shares/share-link-view';
import { spaceOf } from '@/lib/spaces/space-of-session';

/** Every use of one link (time, address, outcome), newest first, for whoever may see the link. */
export const GET = apiRoute({ params: ZShareLinkParamsSchema }, async ({ session, params }) => {
  return Response.json({ uses: await listShareLinkUses(db(), { ...spaceOf(session), linkId: params.id }) });
});
