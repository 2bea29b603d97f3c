import { Readable } from 'node:stream';
import { z } from 'zod';
import { requireApiSession } from '@/lib/auth/api-session';
import { db } from '@/lib/db';
import { contentDisposition } from '@/lib/documents/content-disposition';
import { openDownload } from '@/lib/documents/open-download';
import { apiHandler } from '@/lib/logger';
import { vaultStorage } from '@/lib/vault-storage';

/**
 * The decrypted document, verified before the first byte. Always an attachment of type octet-stream, so a
 * stored HTML or SVG file can never run in SVD's origin.
 */
export const GET = apiHandler<{ id: string }>(async (request, { params }) => {
  const { userId } = await requireApiSession(request);
  const documentId = z.string().uuid('That document does not exist.').parse(params.id);
  const file = await openDownload(db(), vaultStorage(), { userId, documentId });
  return new Response(Readable.toWeb(file.body) as ReadableStream, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(file.sizeBytes),
      'content-disposition': contentDisposition(file.name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
});
