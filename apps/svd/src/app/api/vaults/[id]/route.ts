import { parseJsonBody } from '@omg/platform';
import { z } from 'zod';
import { requireApiSession } from '@/lib/auth/api-session';
import { db } from '@/lib/db';
import { deleteVault } from '@/lib/documents/delete-vault';
import { renameVault } from '@/lib/documents/rename-vault';
import { apiHandler } from '@/lib/logger';

const ZRenameVaultSchema = z.object({ name: z.string() });
const ZVaultIdSchema = z.string().uuid('That vault does not exist.');

export const PATCH = apiHandler<{ id: string }>(async (request, { params }) => {
  const { userId } = await requireApiSession(request);
  const { name } = await parseJsonBody(request, ZRenameVaultSchema);
  return Response.json({
    vault: await renameVault(db(), { userId, vaultId: ZVaultIdSchema.parse(params.id), name }),
  });
});

export const DELETE = apiHandler<{ id: string }>(async (request, { params }) => {
  const { userId } = await requireApiSession(request);
  await deleteVault(db(), { userId, vaultId: ZVaultIdSchema.parse(params.id) });
  return new Response(null, { status: 204 });
});
