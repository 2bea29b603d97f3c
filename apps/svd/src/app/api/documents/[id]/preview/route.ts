import { Readable } from 'node:stream';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZDocumentParamsSchema } from '@/lib/documents/document-view';
import { openPreview } from '@/lib/previews/open-preview';
import { previewHeaders } from '@/lib/previews/preview-headers';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { vaultStorage } from '@/lib/vault-storage';

/**
 * The decrypted document for viewing in the browser (issue 16 §2): inline, as its sniffed type, only for PDF,
 * PNG, JPEG, GIF, WebP and plain text whose bytes agree with the stored type; 415 "No preview for this type;
 * download it instead" for everything else. Sandboxed by its own CSP (preview-headers.ts). A team's log records
 * it as a download (its contents left the vault) marked as a preview. HEAD answers the same without the body:
 * the preview dialog asks it first, so a refused type shows a message instead of an error page in the frame.
 */
export const GET = apiRoute({ params: ZDocumentParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const preview = await openPreview(db(), vaultStorage(), { ...space, documentId: params.id });
  if (request.method === 'HEAD') {
    preview.body.destroy();
    return new Response(null, { headers: previewHeaders(preview) });
  }
  await recordTeamActivity(db(), space, request, {
    action: 'download',
    subject: preview.name,
    documentId: params.id,
    vaultId: preview.vaultId,
    details: { view: 'preview' },
  });
  return new Response(Readable.toWeb(preview.body) as ReadableStream, { headers: previewHeaders(preview) });
});

export const HEAD = GET;
