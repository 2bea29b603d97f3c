import { changeName, ZChangeNameSchema } from '@/lib/account/change-name';
import { apiRoute } from '@/lib/api-route';

/** POST /api/account/name { name } → { name }: the Account page's name change. */
export const POST = apiRoute({ body: ZChangeNameSchema }, async ({ request, body }) =>
  Response.json(await changeName(request.headers, body)),
);
