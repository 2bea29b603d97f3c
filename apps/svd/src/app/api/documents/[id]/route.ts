import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZDocumentParamsSchema } from '@/lib/documents/document-view';
import { updateDocument, ZUpdateDocumentSchema } from '@/lib/documents/update-document';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { trashDocument } from '@/lib/trash/trash-document';

/** Rename (`{ name }`) and/or move (`{ vaultId }`). */
export const PATCH = apiRoute(
  { params: ZDocumentParamsSchema, body: ZUpdateDocumentSchema },
  async ({ request, session, params, body }) => {
    const space = spaceOf(session);
    const { previousName, ...document } = await updateDocument(db(), {
      ...body,
      ...space,
      documentId: params.id,
    });
    const action = body.name !== undefined ? 'rename' : 'move';
    await recordTeamActivity(db(), space, request, {
      action,
      subject: document.name,
      documentId: document.id,
      vaultId: document.vaultId,
      ...(action === 'rename' ? { details: { from: previousName } } : {}),
    });
    return Response.json({ document });
  },
);

export const DELETE = apiRoute({ params: ZDocumentParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  // To the trash (issue 16): restorable for 30 days; DELETE /api/trash/documents/[id] deletes for good.
  const { name, vaultId } = await trashDocument(db(), { ...space, documentId: params.id });
  await recordTeamActivity(db(), space, request, {
    action: 'delete',
    subject: name,
    documentId: params.id,
    vaultId,
    details: { to: 'trash' },
  });
  return new Response(null, { status: 204 });
});
