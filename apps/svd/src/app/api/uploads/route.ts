import { Readable } from 'node:stream';
import { AppError } from '@omg/platform';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { uploadDocument } from '@/lib/documents/upload-document';
import { ZUploadQuerySchema } from '@/lib/documents/upload-document.types';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { vaultStorage } from '@/lib/vault-storage';

/**
 * POST /api/uploads?vaultId=…&name=…[&size=…] with the file itself as the request body (any Content-Type
 * except multipart). The body streams through encryption to storage; it is never held in memory. This path is
 * outside proxy.ts (see there), so apiRoute's origin rule is the only one here.
 */
export const POST = apiRoute(
  { body: 'raw', query: ZUploadQuerySchema },
  async ({ request, session, query, log }) => {
    const space = spaceOf(session);
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
      ...space,
      vaultId: query.vaultId,
      folderId: query.folderId,
      fileName: query.name,
      mimeType: contentType.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream',
      declaredBytes,
      body,
      signal: request.signal,
      log,
      onNameConflict: query.onConflict,
    });
    await recordTeamActivity(db(), space, request, {
      action: document.newVersion ? 'new_version' : 'upload',
      subject: document.name,
      documentId: document.id,
      vaultId: document.vaultId,
    });
    return Response.json({ document }, { status: document.newVersion ? 200 : 201 });
  },
);
