import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZDocumentParamsSchema } from '@/lib/documents/document-view';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { openThumbnail } from '@/lib/thumbnails/open-thumbnail';
import { vaultStorage } from '@/lib/vault-storage';

/**
 * The document's thumbnail (issue 16 §2): always image/webp (SVD made it), never sniffed, never cached outside
 * the browser's memory for this user; 404 when there is none (the list then shows the file type's icon).
 */
export const GET = apiRoute({ params: ZDocumentParamsSchema }, async ({ session, params }) => {
  const webp = await openThumbnail(db(), vaultStorage(), { ...spaceOf(session), documentId: params.id });
  return new Response(new Uint8Array(webp), {
    headers: {
      'content-type': 'image/webp',
      'content-length': String(webp.length),
      'content-disposition': 'inline; filename="thumbnail.webp"',
      'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'self'",
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'private, no-store',
    },
  });
});
