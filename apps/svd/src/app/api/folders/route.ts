import { AppError } from '@omg/platform';
import { z } from 'zod';
import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute, entitledApiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { createFolder, ZCreateFolderSchema } from '@/lib/folders/create-folder';
import { listFolder } from '@/lib/folders/list-folder';
import { spaceOf } from '@/lib/spaces/space-of-session';

const ZListFolderQuerySchema = z.object({
  vaultId: z.string().uuid('That vault does not exist.'),
  folderId: z.string().uuid('That folder does not exist.').optional(),
  sort: z.enum(['name', 'createdAt', 'sizeBytes']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

/** GET /api/folders?vaultId=…[&folderId=…]: a folder's (or the vault root's) live subfolders and documents. */
export const GET = apiRoute({ query: ZListFolderQuerySchema }, async ({ session, query }) => {
  const space = spaceOf(session);
  const listing = await listFolder(db(), {
    ...space,
    vaultOrFirst: query.vaultId,
    folderId: query.folderId ?? null,
    sort: query.sort,
    order: query.order,
  });
  // The page falls back to the first vault and the root; an API caller asking for a precise place gets a 404.
  if (listing.vaultId !== query.vaultId || listing.folderMissing) {
    throw new AppError(
      'NOT_FOUND',
      listing.folderMissing ? 'That folder does not exist.' : 'That vault does not exist.',
    );
  }
  return Response.json(listing);
});

/**
 * POST /api/folders `{ vaultId, parentId?, name }`. The space's status (read-only, over storage) comes with the
 * session, read in its statement.
 */
export const POST = entitledApiRoute({ body: ZCreateFolderSchema }, async ({ request, session, body }) => {
  const space = spaceOf(session);
  const folder = await createFolder(db(), { ...space, ...body }, session.status);
  await recordTeamActivity(db(), space, request, {
    action: 'create_folder',
    subject: folder.name,
    vaultId: folder.vaultId,
    details: { folderId: folder.id },
  });
  return Response.json({ folder }, { status: 201 });
});
