import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { dismissCrossSell, ZDismissCrossSellSchema } from '@/lib/portal/dismiss-cross-sell';

/** POST { productId } → 204: the signed-in customer closed the portal's "Also try …" card for that product. */
export const POST = apiRoute({ body: ZDismissCrossSellSchema }, async ({ session, body }) => {
  await dismissCrossSell(db(), { userId: session.user.id, productId: body.productId });
  return new Response(null, { status: 204 });
});
