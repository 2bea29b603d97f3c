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
  async ({ session, params, body }) =>
    Response.json(await setVaultAccess(db(), { ...spaceOf(session), vaultId: params.id, access: body })),
);
