import { parseJsonBody } from '@omg/platform';
import { z } from 'zod';
import { requireApiSession } from '@/lib/auth/api-session';
import { db } from '@/lib/db';
import { deleteDocument } from '@/lib/documents/delete-document';
import { updateDocument, ZUpdateDocumentSchema } from '@/lib/documents/update-document';
import { apiHandler } from '@/lib/logger';
import { vaultStorage } from '@/lib/vault-storage';

const ZDocumentIdSchema = z.string().uuid('That document does not exist.');

/** Rename (`{ name }`) and/or move (`{ vaultId }`). */
export const PATCH = apiHandler<{ id: string }>(async (request, { params }) => {
  const { userId } = await requireApiSession(request);
  const changes = await parseJsonBody(request, ZUpdateDocumentSchema);
  const document = await updateDocument(db(), {
    ...changes,
    userId,
    documentId: ZDocumentIdSchema.parse(params.id),
  });
  return Response.json({ document });
});

export const DELETE = apiHandler<{ id: string }>(async (request, { params, log }) => {
  const { userId } = await requireApiSession(request);
  await deleteDocument(db(), vaultStorage(), { userId, documentId: ZDocumentIdSchema.parse(params.id), log });
  return new Response(null, { status: 204 });
});
