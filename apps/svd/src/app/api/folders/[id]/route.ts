import { z } from 'zod';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZFolderNameSchema } from '@/lib/folders/folder-names';
import { ZFolderParamsSchema } from '@/lib/folders/folder-view';
import { moveFolder } from '@/lib/folders/move-folder';
import { renameFolder } from '@/lib/folders/rename-folder';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { trashFolder } from '@/lib/trash/trash-folder';

const ZUpdateFolderSchema = z
  .object({
    name: ZFolderNameSchema.optional(),
    /** The folder to move it into (same vault), or null for the vault's root. */
    parentId: z.string().uuid('That folder does not exist.').nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.parentId !== undefined, 'Give a new name or a folder to move to.');

/** PATCH /api/folders/[id] `{ name }` renames, `{ parentId }` moves (with everything in it), both do both. */
export const PATCH = apiRoute(
  { params: ZFolderParamsSchema, body: ZUpdateFolderSchema },
  async ({ request, session, params, body }) => {
    const space = spaceOf(session);
    let folder = null;
    if (body.name !== undefined) {
      const renamed = await renameFolder(db(), { ...space, folderId: params.id, name: body.name });
      folder = renamed;
      await recordTeamActivity(db(), space, request, {
        action: 'rename_folder',
        subject: renamed.name,
        vaultId: renamed.vaultId,
        details: { folderId: renamed.id, from: renamed.previousName },
      });
    }
    if (body.parentId !== undefined) {
      const moved = await moveFolder(db(), { ...space, folderId: params.id, parentId: body.parentId });
      folder = moved;
      await recordTeamActivity(db(), space, request, {
        action: 'move_folder',
        subject: moved.name,
        vaultId: moved.vaultId,
        details: {
          folderId: moved.id,
          from: moved.previousParentId ?? 'root',
          to: moved.parentId ?? 'root',
        },
      });
    }
    if (!folder) throw new Error('unreachable: the body schema requires a name or a parentId');
    const { id, vaultId, parentId, name, createdAt, updatedAt } = folder;
    return Response.json({ folder: { id, vaultId, parentId, name, createdAt, updatedAt } });
  },
);

/** DELETE /api/folders/[id]: to the trash, with everything in it (restorable for 30 days). */
export const DELETE = apiRoute({ params: ZFolderParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const trashed = await trashFolder(db(), { ...space, folderId: params.id });
  await recordTeamActivity(db(), space, request, {
    action: 'delete',
    subject: trashed.name,
    vaultId: trashed.vaultId,
    details: { folderId: trashed.id, to: 'trash', documents: String(trashed.documents) },
  });
  return new Response(null, { status: 204 });
});
