import { AppError } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { createRateLimiter } from '@/lib/coupons/create-rate-limiter';
import { validateCoupon, ZValidateCouponSchema } from '@/lib/coupons/validate-coupon';
import { db } from '@/lib/db';

// In memory, per client address (see createRateLimiter for why not the database): enough to stop code guessing.
const limiter = createRateLimiter({ limit: 10, windowMs: 60_000 });

/** The client's address as the proxy in front of the Hub reports it (its first x-forwarded-for entry). */
function clientAddress(request: Request): string {
  return (
    request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ||
    request.headers.get('x-real-ip')?.trim() ||
    'unknown'
  );
}

/**
 * POST { code, productId, plan? } → { valid: true, discount, type, code, description, discountedPriceCents? } or
 * { valid: false, error: 'Invalid coupon code' } (SPEC §5). A preview only: create-session checks again.
 */
export const POST = apiRoute({ auth: false, body: ZValidateCouponSchema }, async ({ request, body }) => {
  if (!limiter.take(clientAddress(request))) {
    throw new AppError('RATE_LIMITED', 'Too many coupon attempts. Please wait a minute and try again.');
  }
  const result = await validateCoupon(db(), body);
  if (!result.valid) return Response.json(result);
  const { coupon: _coupon, ...answer } = result;
  return Response.json(answer);
});
