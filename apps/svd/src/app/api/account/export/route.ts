import { exportSvdData, svdExportFilename } from '@/lib/account/export-svd-data';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';

/**
 * GET /api/account/export → the user's SecureVault Docs data (vaults, document metadata) as a JSON attachment,
 * streamed. The Hub's Account page links here through its launch (SVD owns this data; the Hub cannot read it).
 */
export const GET = apiRoute({}, async ({ session }) => {
  const chunks = exportSvdData(db(), session.userId);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${svdExportFilename(new Date())}"`,
      'cache-control': 'no-store',
    },
  });
});
