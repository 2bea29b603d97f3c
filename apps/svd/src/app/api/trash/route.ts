import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { emptyTrash } from '@/lib/trash/empty-trash';
import { listTrash } from '@/lib/trash/list-trash';
import { trashUsage } from '@/lib/trash/trash-usage';
import { vaultStorage } from '@/lib/vault-storage';

/** GET /api/trash: what is in the trash (each deletion once) and the bytes it holds. */
export const GET = apiRoute({}, async ({ session }) => {
  const space = spaceOf(session);
  const [items, usage] = await Promise.all([listTrash(db(), space), trashUsage(db(), space)]);
  return Response.json({ items, usage });
});

/** DELETE /api/trash: empties it for good (everything this user may delete), on every plan and state. */
export const DELETE = apiRoute({}, async ({ request, session, log }) => {
  const space = spaceOf(session);
  const emptied = await emptyTrash(db(), vaultStorage(), { ...space, log });
  await recordTeamActivity(db(), space, request, {
    action: 'empty_trash',
    subject: 'Trash',
    details: {
      documents: String(emptied.documents),
      folders: String(emptied.folders),
      bytes: String(emptied.bytes),
    },
  });
  return Response.json({ emptied });
});
