import { AppError } from '@omg/platform';
import { z } from 'zod';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { findFolder } from '@/lib/folders/find-folder';
import { moveDocument } from '@/lib/folders/move-document';
import { moveFolder } from '@/lib/folders/move-folder';
import { spaceOf } from '@/lib/spaces/space-of-session';

const ZMoveSchema = z
  .object({
    documentId: z.string().uuid('That document does not exist.').optional(),
    folderId: z.string().uuid('That folder does not exist.').optional(),
    /** Where to: a live folder, or null for the root of `vaultId` (a document; a folder's own vault otherwise). */
    targetFolderId: z.string().uuid('That folder does not exist.').nullable(),
    vaultId: z.string().uuid('That vault does not exist.').optional(),
  })
  .refine(
    (v) => (v.documentId === undefined) !== (v.folderId === undefined),
    'Move one document or one folder.',
  );

/**
 * POST /api/folders/move — the drag-and-drop move: a document or a folder dropped onto a folder or a breadcrumb.
 * `{ documentId | folderId, targetFolderId: id | null, vaultId? }`.
 */
export const POST = apiRoute({ body: ZMoveSchema }, async ({ request, session, body }) => {
  const space = spaceOf(session);
  if (body.documentId) {
    const document = await moveDocument(db(), {
      ...space,
      documentId: body.documentId,
      folderId: body.targetFolderId,
      vaultId: body.vaultId,
    });
    await recordTeamActivity(db(), space, request, {
      action: 'move',
      subject: document.name,
      documentId: document.id,
      vaultId: document.vaultId,
      details: { from: document.previousFolderId ?? 'root', to: document.folderId ?? 'root' },
    });
    const { previousFolderId: _previous, ...view } = document;
    return Response.json({ document: view });
  }
  if (!body.folderId) throw new AppError('BAD_REQUEST', 'Move one document or one folder.');
  if (body.vaultId) {
    const folder = await findFolder(db(), { ...space, folderId: body.folderId });
    if (folder.vaultId !== body.vaultId) {
      throw new AppError(
        'BAD_REQUEST',
        'Folders move within their vault. Move documents to another vault one by one.',
      );
    }
  }
  const moved = await moveFolder(db(), { ...space, folderId: body.folderId, parentId: body.targetFolderId });
  await recordTeamActivity(db(), space, request, {
    action: 'move_folder',
    subject: moved.name,
    vaultId: moved.vaultId,
    details: { folderId: moved.id, from: moved.previousParentId ?? 'root', to: moved.parentId ?? 'root' },
  });
  const { previousParentId: _previous, ...folder } = moved;
  return Response.json({ folder });
});
