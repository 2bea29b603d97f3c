import { Readable } from 'node:stream';
import { AppError, clientAddressOf, readLimitedText } from '@omg/platform';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { contentDisposition } from '@/lib/documents/content-disposition';
import { downloadSharedDocument } from '@/lib/shares/download-shared-document';
import { ZSharePublicParamsSchema } from '@/lib/shares/share-link-view';
import { vaultStorage } from '@/lib/vault-storage';

// A password field and nothing else: a few KB is plenty, anything larger is refused before it is read whole.
const MAX_FORM_BYTES = 16 * 1024;

/**
 * The recipient's download: a form POST (never a GET, so a chat app's link preview or a mail scanner fetching the
 * page cannot spend a download), the password in the form when the link has one. Streamed decrypted as the owner's
 * download is, always an octet-stream attachment. Refusals are the one 404 of accessShareLink; a browser that
 * navigated here (the download page's form) is sent back to the page instead, which shows the same message.
 */
export const POST = apiRoute(
  { auth: false, params: ZSharePublicParamsSchema, body: 'form' },
  async ({ request, params }) => {
    const form = new URLSearchParams(await readLimitedText(request, MAX_FORM_BYTES));
    // The page's form navigates: browsers say so (Sec-Fetch-Mode) and ask for HTML; an API client asks for neither.
    const navigating =
      request.headers.get('sec-fetch-mode') === 'navigate' ||
      (request.headers.get('accept') ?? '').includes('text/html');
    try {
      const file = await downloadSharedDocument(db(), vaultStorage(), {
        token: params.token,
        password: form.get('password') || null,
        address: clientAddressOf(request.headers),
      });
      if (file.link.organizationId) {
        await recordTeamActivity(
          db(),
          { userId: file.link.userId, organizationId: file.link.organizationId },
          request,
          { action: 'share_use', subject: file.name, documentId: file.link.documentId ?? undefined },
        );
      }
      return new Response(Readable.toWeb(file.body) as ReadableStream, {
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(file.sizeBytes),
          'content-disposition': contentDisposition(file.name),
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, no-store',
          'referrer-policy': 'no-referrer',
        },
      });
    } catch (error) {
      if (
        navigating &&
        error instanceof AppError &&
        ['NOT_FOUND', 'UNAUTHORIZED', 'RATE_LIMITED'].includes(error.code)
      ) {
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
