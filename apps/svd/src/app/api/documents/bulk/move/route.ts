import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { ZBulkMoveSchema } from '@/lib/bulk/bulk.types';
import { bulkMove } from '@/lib/bulk/bulk-move';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';

/** `{ ids, folderId, vaultId? }`: moves the selection (all checked first; see bulkMove). */
export const POST = apiRoute({ body: ZBulkMoveSchema }, async ({ request, session, body }) => {
  const space = spaceOf(session);
  const result = await bulkMove(db(), { ...space, ...body });
  for (const document of result.moved) {
    await recordTeamActivity(db(), space, request, {
      action: 'move',
      subject: document.name,
      documentId: document.id,
      vaultId: document.vaultId,
    });
  }
  return Response.json(result);
});
