import { parseJsonBody } from '@omg/platform';
import { z } from 'zod';
import { requireApiSession } from '@/lib/auth/api-session';
import { db } from '@/lib/db';
import { createVault } from '@/lib/documents/create-vault';
import { listVaults } from '@/lib/documents/list-vaults';
import { apiHandler } from '@/lib/logger';

const ZCreateVaultSchema = z.object({ name: z.string() });

export const GET = apiHandler(async (request) => {
  const { userId } = await requireApiSession(request);
  return Response.json({ vaults: await listVaults(db(), { userId }) });
});

export const POST = apiHandler(async (request) => {
  const { userId } = await requireApiSession(request);
  const { name } = await parseJsonBody(request, ZCreateVaultSchema);
  return Response.json({ vault: await createVault(db(), { userId, name }) }, { status: 201 });
});
