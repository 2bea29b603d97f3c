import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZDocumentParamsSchema } from '@/lib/documents/document-view';
import { fileDownloadResponse } from '@/lib/documents/file-download-response';
import { openDownload } from '@/lib/documents/open-download';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { vaultStorage } from '@/lib/vault-storage';

/**
 * The decrypted document, streamed segment by segment as each is verified (a damaged header or first segment is
 * refused before any byte; later damage errors the body stream, and Next.js destroys the response on that, so the
 * client sees a failed transfer, not a complete-looking short file). Always an attachment of type octet-stream,
 * so a stored HTML or SVG file can never run in SVD's origin.
 */
export const GET = apiRoute({ params: ZDocumentParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const file = await openDownload(db(), vaultStorage(), { ...space, documentId: params.id });
  await recordTeamActivity(db(), space, request, {
    action: 'download',
    subject: file.name,
    documentId: params.id,
    vaultId: file.vaultId,
  });
  return fileDownloadResponse(file);
});
