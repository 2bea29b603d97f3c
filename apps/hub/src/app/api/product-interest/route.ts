import { clientAddressOf } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import {
  recordProductInterest,
  ZProductInterestSchema,
} from '@/lib/product-interest/record-product-interest';
import { limitByAddress } from '@/lib/rate-limit/limit-by-address';
import { RATE_LIMITS } from '@/lib/rate-limit/rules';

/**
 * POST { productId, email? } → { created, email, message }: "Notify me" for a product that has not launched. A
 * signed-in customer is recorded under their account and its email; a visitor gives an address. Repeats record
 * nothing new and answer 200 all the same.
 */
export const POST = apiRoute(
  { auth: 'optional', body: ZProductInterestSchema },
  async ({ request, session, body }) => {
    const limited = await limitByAddress(
      db(),
      RATE_LIMITS.productInterestPerAddress,
      clientAddressOf(request.headers),
    );
    if (limited) return limited;
    const user = session ? { id: session.user.id, email: session.user.email } : null;
    const result = await recordProductInterest(db(), { productId: body.productId, email: body.email, user });
    return Response.json(result, { status: result.created ? 201 : 200 });
  },
);
