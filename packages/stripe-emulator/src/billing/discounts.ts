import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { invalidParam, invalidRequest } from '../errors';
import { newId } from '../ids';
import { couponIsValid, idOf } from '../views';
import { addInterval } from './periods';

export function promotionCodeIsUsable(
  code: Stripe.PromotionCode,
  coupon: Stripe.Coupon,
  now: number,
): boolean {
  if (!code.active || !couponIsValid(coupon, now)) return false;
  if (code.expires_at !== null && code.expires_at < now) return false;
  if (code.max_redemptions !== null && code.times_redeemed >= code.max_redemptions) return false;
  return true;
}

export interface DiscountChoice {
  coupon: Stripe.Coupon;
  promotionCode: Stripe.PromotionCode | null;
}

/** Resolves a `discounts[n]` entry (`coupon` or `promotion_code`), refusing ones that can no longer be redeemed. */
export function resolveDiscount(
  emulator: Emulator,
  input: { coupon?: string; promotion_code?: string },
  param: string,
): DiscountChoice {
  const now = emulator.now();
  if (input.promotion_code) {
    const code = emulator.store.get('promotion_codes', input.promotion_code, `${param}[promotion_code]`);
    const coupon = emulator.store.get(
      'coupons',
      idOf(code.promotion.coupon) ?? '',
      `${param}[promotion_code]`,
    );
    if (!promotionCodeIsUsable(code, coupon, now)) {
      throw invalidParam(
        `${param}[promotion_code]`,
        `This promotion code cannot be redeemed: '${code.code}'`,
      );
    }
    return { coupon, promotionCode: code };
  }
  if (input.coupon) {
    const coupon = emulator.store.get('coupons', input.coupon, `${param}[coupon]`);
    if (!couponIsValid(coupon, now)) {
      throw invalidRequest(`Coupon expired: ${coupon.id}`, `${param}[coupon]`);
    }
    return { coupon, promotionCode: null };
  }
  throw invalidRequest('You must specify either a coupon or a promotion_code.', param);
}

export function findPromotionCodeByCode(emulator: Emulator, code: string): Stripe.PromotionCode | undefined {
  const lower = code.trim().toLowerCase();
  return emulator.store.all('promotion_codes').find((p) => p.code.toLowerCase() === lower && p.active);
}

/** Records a redemption: the Discount object plus the coupon's and promotion code's counters. */
export function redeem(
  emulator: Emulator,
  choice: DiscountChoice,
  attach: { customer: string; subscription: string | null; checkoutSession?: string | null },
): Stripe.Discount {
  const now = emulator.now();
  const { coupon, promotionCode } = choice;
  const end =
    coupon.duration === 'repeating' && coupon.duration_in_months
      ? addInterval(now, 'month', coupon.duration_in_months)
      : null;
  const discount: Stripe.Discount = {
    id: newId('di'),
    object: 'discount',
    checkout_session: attach.checkoutSession ?? null,
    customer: attach.customer,
    customer_account: null,
    end,
    invoice: null,
    invoice_item: null,
    promotion_code: promotionCode?.id ?? null,
    source: { coupon: coupon.id, type: 'coupon' },
    start: now,
    subscription: attach.subscription,
    subscription_item: null,
  };
  emulator.store.put('discounts', discount);
  emulator.store.put('coupons', { ...coupon, times_redeemed: coupon.times_redeemed + 1 });
  if (promotionCode) {
    emulator.store.put('promotion_codes', {
      ...promotionCode,
      times_redeemed: promotionCode.times_redeemed + 1,
    });
  }
  return discount;
}

export function couponOf(emulator: Emulator, discount: Stripe.Discount): Stripe.Coupon | undefined {
  const id = idOf(discount.source.coupon);
  return id ? emulator.store.find('coupons', id) : undefined;
}

export interface Discountable {
  amount: number;
  product: string;
  discount_amounts: Array<{ amount: number; discount: string }>;
}

/**
 * Spreads each discount over the lines it applies to: percentages per line, fixed amounts over the eligible
 * lines in order, never below zero. Credits (negative lines) are not discounted.
 */
export function applyDiscounts(
  emulator: Emulator,
  lines: Discountable[],
  discounts: Stripe.Discount[],
): void {
  for (const discount of discounts) {
    const coupon = couponOf(emulator, discount);
    if (!coupon) continue;
    const products = coupon.applies_to?.products;
    const eligible = lines.filter(
      (line) => line.amount > 0 && (!products || products.length === 0 || products.includes(line.product)),
    );
    const remaining = (line: Discountable) =>
      line.amount - line.discount_amounts.reduce((sum, d) => sum + d.amount, 0);
    if (coupon.percent_off !== null) {
      for (const line of eligible) {
        const amount = Math.min(remaining(line), Math.round((line.amount * coupon.percent_off) / 100));
        line.discount_amounts.push({ amount, discount: discount.id });
      }
    } else if (coupon.amount_off !== null) {
      let left = coupon.amount_off;
      for (const line of eligible) {
        const amount = Math.min(remaining(line), left);
        left -= amount;
        line.discount_amounts.push({ amount, discount: discount.id });
      }
    }
  }
}

/** Whether a discount still applies to an invoice for a period starting at `periodStart`. */
export function discountActive(emulator: Emulator, discount: Stripe.Discount, periodStart: number): boolean {
  const coupon = couponOf(emulator, discount);
  if (!coupon) return false;
  return discount.end === null || periodStart < discount.end;
}
