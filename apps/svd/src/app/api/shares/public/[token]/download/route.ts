import { AppError, clientAddressOf, readLimitedText } from '@omg/platform';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { contentDisposition } from '@/lib/documents/content-disposition';
import { fileDownloadResponse } from '@/lib/documents/file-download-response';
import { accessShareLink } from '@/lib/shares/access-share-link';
import { downloadSharedDocument } from '@/lib/shares/download-shared-document';
import { downloadSharedFolder } from '@/lib/shares/download-shared-folder';
import { ZShareAccessSchema, ZSharePublicParamsSchema } from '@/lib/shares/share-link-view';
import { vaultStorage } from '@/lib/vault-storage';

// A password field and nothing else: a few KB is plenty, anything larger is refused before it is read whole.
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The password a download carries: the page's form (urlencoded), or JSON `{ password }` from a script; no body for
 * a link without one. Anything else is 415, as apiRoute answers any route's wrong type.
 */
async function readPassword(request: Request): Promise<string | null> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = await readLimitedText(request, MAX_BODY_BYTES);
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(text).get('password') || null;
  if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(text || '{}');
    } catch {
      throw new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
    }
    return ZShareAccessSchema.parse(json).password || null;
  }
  if (type === '' && text === '') return null;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the password as a form (or as JSON).');
}

const ATTACHMENT_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
  'referrer-policy': 'no-referrer',
};

/**
 * The recipient's download: a form POST (never a GET, so a chat app's link preview or a mail scanner fetching the
 * page cannot spend a download), the password in the form when the link has one. A document streams decrypted as
 * the owner's download does, always an octet-stream attachment; a folder as a ZIP streamed as it is decrypted.
 * Refusals are the one 404 of accessShareLink; a browser that navigated here (the download page's form) is sent
 * back to the page instead, which shows the same message whatever the reason.
 */
export const POST = apiRoute(
  { auth: false, params: ZSharePublicParamsSchema, body: 'raw' },
  async ({ request, params, log }) => {
    const password = await readPassword(request);
    // The page's form navigates: browsers say so (Sec-Fetch-Mode) and ask for HTML; an API client asks for neither.
    const navigating =
      request.headers.get('sec-fetch-mode') === 'navigate' ||
      (request.headers.get('accept') ?? '').includes('text/html');
    const address = clientAddressOf(request.headers);
    try {
      const share = await accessShareLink(db(), {
        token: params.token,
        password,
        address,
        logUse: true,
      });
      const { link } = share;
      let response: Response;
      let subject: string;
      if (share.document) {
        const file = await downloadSharedDocument(db(), vaultStorage(), share, { address });
        subject = file.name;
        response = fileDownloadResponse(file, ATTACHMENT_HEADERS);
      } else {
        const zip = await downloadSharedFolder(db(), vaultStorage(), share, { address, log });
        subject = zip.name;
        response = new Response(zip.stream, {
          headers: {
            ...ATTACHMENT_HEADERS,
            'content-type': 'application/zip',
            'content-disposition': contentDisposition(zip.name),
          },
        });
      }
      if (link.organizationId) {
        await recordTeamActivity(
          db(),
          { userId: link.userId, organizationId: link.organizationId },
          request,
          {
            action: 'share_use',
            subject,
            documentId: link.documentId ?? undefined,
            details: link.folderId ? { folderId: link.folderId } : undefined,
          },
        );
      }
      return response;
    } catch (error) {
      const refused =
        error instanceof AppError && ['NOT_FOUND', 'UNAUTHORIZED', 'RATE_LIMITED'].includes(error.code);
      if (navigating && refused) {
        const reason = error.code === 'RATE_LIMITED' ? 'busy' : 'refused';
        return new Response(null, {
          status: 303,
          headers: {
            location: `/s/${encodeURIComponent(params.token)}?failed=${reason}`,
            'cache-control': 'no-store',
          },
        });
      }
      throw error;
    }
  },
);
