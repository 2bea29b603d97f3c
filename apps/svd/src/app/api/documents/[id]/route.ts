import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { deleteDocument } from '@/lib/documents/delete-document';
import { ZDocumentParamsSchema } from '@/lib/documents/document-view';
import { updateDocument, ZUpdateDocumentSchema } from '@/lib/documents/update-document';
import { vaultStorage } from '@/lib/vault-storage';

/** Rename (`{ name }`) and/or move (`{ vaultId }`). */
export const PATCH = apiRoute(
  { params: ZDocumentParamsSchema, body: ZUpdateDocumentSchema },
  async ({ session, params, body }) => {
    const document = await updateDocument(db(), { ...body, userId: session.userId, documentId: params.id });
    return Response.json({ document });
  },
);

export const DELETE = apiRoute({ params: ZDocumentParamsSchema }, async ({ session, params, log }) => {
  await deleteDocument(db(), vaultStorage(), { userId: session.userId, documentId: params.id, log });
  return new Response(null, { status: 204 });
});
