import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { deleteVault } from '@/lib/documents/delete-vault';
import { ZVaultParamsSchema } from '@/lib/documents/find-vault';
import { renameVault, ZRenameVaultSchema } from '@/lib/documents/rename-vault';

export const PATCH = apiRoute(
  { params: ZVaultParamsSchema, body: ZRenameVaultSchema },
  async ({ session, params, body }) =>
    Response.json({
      vault: await renameVault(db(), { userId: session.userId, vaultId: params.id, name: body.name }),
    }),
);

export const DELETE = apiRoute({ params: ZVaultParamsSchema }, async ({ session, params }) => {
  await deleteVault(db(), { userId: session.userId, vaultId: params.id });
  return new Response(null, { status: 204 });
});
