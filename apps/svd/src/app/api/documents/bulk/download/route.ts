import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { bulkDownload } from '@/lib/bulk/bulk-download';
import { readBulkForm } from '@/lib/bulk/read-bulk-form';
import { db } from '@/lib/db';
import { contentDisposition } from '@/lib/documents/content-disposition';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { vaultStorage } from '@/lib/vault-storage';

/**
 * POST ids (a form: `ids=…&ids=…`) → the documents as one ZIP, streamed as each is decrypted (issue 16 §6).
 * A form post, so the browser downloads it as any file (to disk, as it arrives) and the origin rule guards it;
 * every id must be one of the caller's live documents or the whole request is refused (404 with the ids).
 * Allowed on every plan and state: getting data out. No Content-Length: a failure mid-way cuts the response.
 */
export const POST = apiRoute({ body: 'form' }, async ({ request, session, log }) => {
  const space = spaceOf(session);
  const ids = await readBulkForm(request);
  const { stream, documents } = await bulkDownload(db(), vaultStorage(), { ...space, ids, log });
  for (const document of documents) {
    await recordTeamActivity(db(), space, request, {
      action: 'download',
      subject: document.name,
      documentId: document.id,
      vaultId: document.vaultId,
      details: { as: 'zip' },
    });
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': contentDisposition(`SecureVault documents ${day}.zip`),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
});
