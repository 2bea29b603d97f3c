import { clientAddressOf } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { limitCouponAttempts } from '@/lib/coupons/limit-coupon-attempts';
import { validateCoupon, ZValidateCouponSchema } from '@/lib/coupons/validate-coupon';
import { db } from '@/lib/db';

/**
 * POST { code, productId, plan? } → { valid: true, discount, type, code, description, terms, discountedPriceCents? } or
 * { valid: false, error: 'Invalid coupon code' } (SPEC §5). A preview only: create-session checks again.
 */
export const POST = apiRoute(
  { auth: 'optional', body: ZValidateCouponSchema },
  async ({ request, session, body }) => {
    const limited = await limitCouponAttempts(db(), {
      address: clientAddressOf(request.headers),
      userId: session?.user.id ?? null,
    });
    if (limited) return limited;
    const result = await validateCoupon(db(), body);
    if (!result.valid) return Response.json(result);
    const { coupon: _coupon, ...answer } = result;
    return Response.json(answer);
  },
);
