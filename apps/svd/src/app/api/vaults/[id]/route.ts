import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { deleteVault } from '@/lib/documents/delete-vault';
import { ZVaultParamsSchema } from '@/lib/documents/find-vault';
import { renameVault, ZRenameVaultSchema } from '@/lib/documents/rename-vault';
import { spaceOf } from '@/lib/spaces/space-of-session';

export const PATCH = apiRoute(
  { params: ZVaultParamsSchema, body: ZRenameVaultSchema },
  async ({ request, session, params, body }) => {
    const space = spaceOf(session);
    const vault = await renameVault(db(), { ...space, vaultId: params.id, name: body.name });
    await recordTeamActivity(db(), space, request, {
      action: 'rename_vault',
      subject: vault.name,
      vaultId: vault.id,
    });
    return Response.json({ vault });
  },
);

export const DELETE = apiRoute({ params: ZVaultParamsSchema }, async ({ request, session, params }) => {
  const space = spaceOf(session);
  const { name } = await deleteVault(db(), { ...space, vaultId: params.id });
  await recordTeamActivity(db(), space, request, {
    action: 'delete_vault',
    subject: name,
    vaultId: params.id,
  });
  return new Response(null, { status: 204 });
});
