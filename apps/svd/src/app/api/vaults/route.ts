import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { createVault, ZCreateVaultSchema } from '@/lib/documents/create-vault';
import { listVaults } from '@/lib/documents/list-vaults';
import { spaceOf } from '@/lib/spaces/space-of-session';

export const GET = apiRoute({}, async ({ session }) =>
  Response.json({ vaults: await listVaults(db(), spaceOf(session)) }),
);

export const POST = apiRoute({ body: ZCreateVaultSchema }, async ({ request, session, body }) => {
  const space = spaceOf(session);
  const vault = await createVault(db(), { ...space, name: body.name });
  await recordTeamActivity(db(), space, request, {
    action: 'create_vault',
    subject: vault.name,
    vaultId: vault.id,
  });
  return Response.json({ vault }, { status: 201 });
});
