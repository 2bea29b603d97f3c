import { HUB_COUPON_DURATION } from '@omg/billing';
import { findProductByAppId, type TDiscountTerms, ZProductIdSchema } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';

export const ZValidateCouponSchema = z.object({
  code: z.string().trim().min(1, 'Enter a coupon code.').max(40, 'That code is too long.'),
  productId: ZProductIdSchema,
  plan: z.string().trim().min(1).max(40).optional(),
});
export type TValidateCouponInput = z.infer<typeof ZValidateCouponSchema>;

/** One message for every refusal, so guessing codes never learns whether a code exists, expired or ran out. */
export const INVALID_COUPON_MESSAGE = 'Invalid coupon code';

export type TCouponRow = typeof schema.coupon.$inferSelect;

export type TCouponValidation =
  | {
      valid: true;
      /** Percent off for PERCENTAGE, cents off for FIXED_AMOUNT. */
      discount: number;
      type: 'PERCENTAGE' | 'FIXED_AMOUNT';
      code: string;
      description: string;
      /** What it takes off and for how long, as Stripe will apply it (worded by the contract's formatDiscount). */
      terms: TDiscountTerms;
      /** The plan's monthly price after the discount, when a plan was given. */
      discountedPriceCents?: number;
      coupon: TCouponRow;
    }
  | { valid: false; error: typeof INVALID_COUPON_MESSAGE };

/**
 * Whether `code` can be redeemed for a product right now (SPEC §5). Codes compare case-insensitively (they are
 * stored upper-case). Unknown, inactive, expired, exhausted and other-product codes are all just invalid.
 */
export async function validateCoupon(db: TDatabase, input: TValidateCouponInput): Promise<TCouponValidation> {
  const invalid = { valid: false, error: INVALID_COUPON_MESSAGE } as const;
  const product = findProductByAppId(input.productId);
  if (!product) return invalid;
  const [coupon] = await db
    .select()
    .from(schema.coupon)
    .where(
      and(
        eq(schema.coupon.code, input.code.trim().toUpperCase()),
        eq(schema.coupon.active, true),
        or(isNull(schema.coupon.expiresAt), gt(schema.coupon.expiresAt, sql`now()`)),
        or(
          isNull(schema.coupon.maxRedemptions),
          lt(schema.coupon.timesRedeemed, schema.coupon.maxRedemptions),
        ),
        or(isNull(schema.coupon.appId), eq(schema.coupon.appId, product.appId)),
      ),
    );
  if (!coupon) return invalid;
  const type = coupon.type === 'FIXED_AMOUNT' ? 'FIXED_AMOUNT' : 'PERCENTAGE';
  const discount = (type === 'PERCENTAGE' ? coupon.percentOff : coupon.amountOffCents) ?? 0;
  const priceCents = input.plan ? product.plans.find((p) => p.id === input.plan)?.priceCents : undefined;
  return {
    valid: true,
    discount,
    type,
    code: coupon.code,
    description: coupon.description,
    terms: {
      percentOff: type === 'PERCENTAGE' ? discount : null,
      amountOffCents: type === 'FIXED_AMOUNT' ? discount : null,
      duration: HUB_COUPON_DURATION,
      durationInMonths: null,
    },
    ...(typeof priceCents === 'number'
      ? {
          // Stripe rounds the discount amount to the cent and subtracts it; do the same so the page matches.
          discountedPriceCents:
            type === 'PERCENTAGE'
              ? priceCents - Math.round((priceCents * discount) / 100)
              : Math.max(0, priceCents - discount),
        }
      : {}),
    coupon,
  };
}
