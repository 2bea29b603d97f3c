import { clientAddressOf } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { accessShareLink } from '@/lib/shares/access-share-link';
import { listSharedFolder } from '@/lib/shares/list-shared-folder';
import { ZShareAccessSchema, ZSharePublicParamsSchema } from '@/lib/shares/share-link-view';

/**
 * A recipient checks a link (and its password): what it shares (a folder's files too), for the download page. No account. Every refusal
 * is the same 404 "This link is not available." (accessShareLink); 401 only for a live link asked without its
 * password; 429 past the rate limits.
 */
export const POST = apiRoute(
  { auth: false, params: ZSharePublicParamsSchema, body: ZShareAccessSchema },
  async ({ request, params, body }) => {
    const { link, document, folder } = await accessShareLink(db(), {
      token: params.token,
      password: body.password || null,
      address: clientAddressOf(request.headers),
      logUse: true,
    });
    return Response.json({
      kind: document ? 'document' : 'folder',
      name: document?.name ?? folder?.name ?? '',
      sizeBytes: document?.sizeBytes ?? null,
      expiresAt: link.expiresAt.toISOString(),
      downloadsLeft: link.downloadLimit === null ? null : link.downloadLimit - link.downloadCount,
      // A folder's files (the first 500), as the ZIP will hold them.
      files: folder
        ? (await listSharedFolder(db(), folder.id, 500)).map((file) => ({
            path: file.path,
            sizeBytes: file.sizeBytes,
          }))
        : null,
    });
  },
);
