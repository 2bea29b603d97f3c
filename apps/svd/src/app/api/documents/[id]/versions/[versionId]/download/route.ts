import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { fileDownloadResponse } from '@/lib/documents/file-download-response';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { vaultStorage } from '@/lib/vault-storage';
import { openVersionDownload } from '@/lib/versions/open-version-download';
import { ZVersionParamsSchema } from '@/lib/versions/versions.types';

/**
 * A former version, decrypted and streamed like the document's own download: always an octet-stream
 * attachment, named after the document. Allowed on every plan and state (getting data out).
 */
export const GET = apiRoute({ params: ZVersionParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const file = await openVersionDownload(db(), vaultStorage(), {
    ...space,
    documentId: params.id,
    versionId: params.versionId,
  });
  await recordTeamActivity(db(), space, request, {
    action: 'download',
    subject: file.name,
    documentId: params.id,
    vaultId: file.vaultId,
    details: { versionId: params.versionId },
  });
  return fileDownloadResponse(file);
});
