import { Readable } from 'node:stream';
import { AppError } from '@omg/platform';
import { z } from 'zod';
import { requireApiSession } from '@/lib/auth/api-session';
import { db } from '@/lib/db';
import { uploadDocument } from '@/lib/documents/upload-document';
import { apiHandler } from '@/lib/logger';
import { vaultStorage } from '@/lib/vault-storage';

const ZUploadQuerySchema = z.object({
  vaultId: z.string().uuid('Choose a vault to upload to.'),
  name: z.string().min(1, 'The file needs a name.'),
  size: z.coerce.number().int().nonnegative('The file size must be a whole number of bytes.').optional(),
});

/**
 * POST /api/uploads?vaultId=…&name=…[&size=…] with the file itself as the request body (any Content-Type
 * except multipart). The body streams through encryption to storage; it is never held in memory.
 */
export const POST = apiHandler(async (request, { log }) => {
  const { userId } = await requireApiSession(request);
  const query = ZUploadQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const contentType = request.headers.get('content-type') || 'application/octet-stream';
  if (contentType.startsWith('multipart/')) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the file itself as the request body, not as a multipart form.',
    );
  }
  const length = request.headers.get('content-length');
  const declaredBytes = query.size ?? (length === null ? Number.NaN : Number(length));
  if (!Number.isSafeInteger(declaredBytes) || declaredBytes < 0) {
    throw new AppError('BAD_REQUEST', 'Say how large the file is: send Content-Length or ?size=.');
  }
  if (!request.body && declaredBytes > 0)
    throw new AppError('BAD_REQUEST', 'The request has no file in its body.');
  const body = request.body
    ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream)
    : Readable.from([]);
  const document = await uploadDocument(db(), vaultStorage(), {
    userId,
    vaultId: query.vaultId,
    fileName: query.name,
    mimeType: contentType.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream',
    declaredBytes,
    body,
    signal: request.signal,
    log,
  });
  return Response.json({ document }, { status: 201 });
});
