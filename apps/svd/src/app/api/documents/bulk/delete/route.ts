import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { ZBulkSchema } from '@/lib/bulk/bulk.types';
import { bulkTrash } from '@/lib/bulk/bulk-trash';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';

/** `{ ids }`: deletes the selection to the trash (all checked first; see bulkTrash). */
export const POST = apiRoute({ body: ZBulkSchema }, async ({ request, session, body }) => {
  const space = spaceOf(session);
  const result = await bulkTrash(db(), { ...space, ids: body.ids });
  for (const document of result.trashed) {
    await recordTeamActivity(db(), space, request, {
      action: 'delete',
      subject: document.name,
      documentId: document.id,
      vaultId: document.vaultId,
    });
  }
  return Response.json(result);
});
