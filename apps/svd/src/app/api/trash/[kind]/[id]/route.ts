import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { deleteFromTrash } from '@/lib/trash/delete-from-trash';
import { ZTrashItemParamsSchema } from '@/lib/trash/restore-from-trash';
import { vaultStorage } from '@/lib/vault-storage';

/** DELETE /api/trash/documents/[id] or /api/trash/folders/[id]: delete one trashed item for good. */
export const DELETE = apiRoute(
  { params: ZTrashItemParamsSchema },
  async ({ request, session, params, log }) => {
    const space = spaceOf(session);
    const deleted = await deleteFromTrash(db(), vaultStorage(), { ...space, ...params, log });
    await recordTeamActivity(db(), space, request, {
      action: 'delete_permanently',
      subject: deleted.name,
      ...(params.kind === 'documents' ? { documentId: params.id } : {}),
      details: { kind: params.kind === 'documents' ? 'document' : 'folder', id: params.id },
    });
    return new Response(null, { status: 204 });
  },
);
