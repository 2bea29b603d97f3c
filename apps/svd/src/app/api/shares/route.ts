import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { createShareLink } from '@/lib/shares/create-share-link';
import { listShareLinks } from '@/lib/shares/list-share-links';
import { ZCreateShareLinkSchema } from '@/lib/shares/share-link-view';
import { spaceOf } from '@/lib/spaces/space-of-session';

/** The space's share links the user sees (all of them for a team's owners and admins, their own for members). */
export const GET = apiRoute({}, async ({ session }) => {
  return Response.json({ links: await listShareLinks(db(), spaceOf(session)) });
});

/**
 * A new link. The answer carries the token in `url` — the only time it is ever shown: the database keeps only its
 * hash, so a lost link cannot be shown again, only revoked and replaced.
 */
export const POST = apiRoute({ body: ZCreateShareLinkSchema }, async ({ request, session, body }) => {
  const space = spaceOf(session);
  const { link, token } = await createShareLink(db(), { ...space, ...body });
  await recordTeamActivity(db(), space, request, {
    action: 'share_create',
    subject: link.targetName,
    documentId: link.documentId ?? undefined,
    details: {
      expiresAt: link.expiresAt,
      ...(link.downloadLimit ? { downloadLimit: String(link.downloadLimit) } : {}),
    },
  });
  return Response.json({ link, url: `${env().SVD_URL}/s/${token}` }, { status: 201 });
});
