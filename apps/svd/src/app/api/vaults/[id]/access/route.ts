import { recordTeamActivity } from '@/lib/activity/record-team-activity';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { ZVaultParamsSchema } from '@/lib/documents/find-vault';
import { getVaultAccess } from '@/lib/spaces/get-vault-access';
import { setVaultAccess } from '@/lib/spaces/set-vault-access';
import { spaceOf } from '@/lib/spaces/space-of-session';
import { ZVaultAccessInputSchema } from '@/lib/spaces/vault-access.types';

/** GET /api/vaults/:id/access — who can open a team vault (owners and admins; 403 others, 404 personal). */
export const GET = apiRoute({ params: ZVaultParamsSchema }, async ({ session, params }) =>
  Response.json(await getVaultAccess(db(), { ...spaceOf(session), vaultId: params.id })),
);

/** PUT /api/vaults/:id/access `{ restricted: false }` | `{ restricted: true, userIds }`. */
export const PUT = apiRoute(
  { params: ZVaultParamsSchema, body: ZVaultAccessInputSchema },
  async ({ request, session, params, body }) => {
    const space = spaceOf(session);
    const access = await setVaultAccess(db(), { ...space, vaultId: params.id, access: body });
    // The team's log says who limited or opened which vault, to whom (the listed members, by address and id).
    const listed = access.members.filter((m) => m.allowed && !m.alwaysSees);
    await recordTeamActivity(db(), space, request, {
      action: access.restricted ? 'limit_vault' : 'open_vault',
      subject: access.vaultName,
      vaultId: access.vaultId,
      details: access.restricted
        ? {
            to: listed.map((m) => m.email).join(', ') || 'owners and admins only',
            memberIds: listed.map((m) => m.userId).join(','),
          }
        : { to: 'the whole team' },
    });
    return Response.json(access);
  },
);
