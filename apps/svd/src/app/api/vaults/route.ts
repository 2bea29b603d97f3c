import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { createVault, ZCreateVaultSchema } from '@/lib/documents/create-vault';
import { listVaults } from '@/lib/documents/list-vaults';

export const GET = apiRoute({}, async ({ session }) =>
  Response.json({ vaults: await listVaults(db(), { userId: session.userId }) }),
);

export const POST = apiRoute({ body: ZCreateVaultSchema }, async ({ session, body }) =>
  Response.json(
    { vault: await createVault(db(), { userId: session.userId, name: body.name }) },
    { status: 201 },
  ),
);
