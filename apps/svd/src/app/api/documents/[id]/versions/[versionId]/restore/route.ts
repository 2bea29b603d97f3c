import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { restoreVersion } from '@/lib/versions/restore-version';
import { ZVersionParamsSchema } from '@/lib/versions/versions.types';

/** Makes a former version current again by swapping it with the current one (restoreVersion). */
export const POST = apiRoute({ params: ZVersionParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const document = await restoreVersion(db(), {
    ...space,
    documentId: params.id,
    versionId: params.versionId,
  });
  await recordTeamActivity(db(), space, request, {
    action: 'restore_version',
    subject: document.name,
    documentId: document.id,
    vaultId: document.vaultId,
    details: { versionId: params.versionId },
  });
  return Response.json({ document });
});
