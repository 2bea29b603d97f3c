import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { restoreFromTrash, ZTrashItemParamsSchema } from '@/lib/trash/restore-from-trash';

/** POST /api/trash/documents/[id]/restore or /api/trash/folders/[id]/restore; the answer says where it went. */
export const POST = apiRoute({ params: ZTrashItemParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const restored = await restoreFromTrash(db(), { ...space, ...params });
  await recordTeamActivity(db(), space, request, {
    action: 'restore',
    subject: restored.name,
    vaultId: restored.vaultId,
    ...(restored.kind === 'document' ? { documentId: restored.id } : {}),
    details: {
      kind: restored.kind,
      ...(restored.kind === 'folder' ? { folderId: restored.id } : {}),
      ...(restored.renamedFrom ? { from: restored.renamedFrom } : {}),
      to: restored.folderId ?? 'root',
    },
  });
  return Response.json({ restored });
});
