import type { TDiscountTerms } from './discount-terms-schema';
import { formatBillingDay } from './format-billing-day';
import { formatPrice } from './format-price';

/*
 * Every Hub page that mentions a discount or a next charge words it through this file, so the checkout page, the
 * success page and the billing page can never disagree about the same subscription. The discount's schema lives
 * in discount-terms-schema.ts so that wording a discount in the browser does not bring zod along.
 */
export { type TDiscountTerms, ZDiscountTermsSchema } from './discount-terms-schema';

export interface TNextCharge {
  amountCents: number;
  at: Date;
}

/** "20% off for 3 months", "$5.00 off forever", "20% off once" (the next payment only). */
export function formatDiscount(discount: TDiscountTerms): string {
  const off =
    discount.percentOff !== null
      ? `${discount.percentOff}% off`
      : `${formatPrice(discount.amountOffCents)} off`;
  if (discount.duration === 'forever') return `${off} forever`;
  if (discount.duration === 'once') return `${off} once`;
  const months = discount.durationInMonths ?? 1;
  return `${off} for ${months} ${months === 1 ? 'month' : 'months'}`;
}

/** "Next charge $11.99 on Dec 8, 2026"; with `first`, "First charge …" (a trial that has charged nothing yet). */
export function formatNextCharge(charge: TNextCharge, options: { first?: boolean } = {}): string {
  const label = options.first ? 'First charge' : 'Next charge';
  return `${label} ${formatPrice(charge.amountCents)} on ${formatBillingDay(charge.at)}`;
}

/** The one line every page shows: "20% off for 3 months — next charge $11.99 on Jan 1, 2027". */
export function formatBillingSummary(input: {
  discount: TDiscountTerms | null;
  nextCharge: TNextCharge | null;
  first?: boolean;
}): string {
  const charge = input.nextCharge ? formatNextCharge(input.nextCharge, { first: input.first }) : null;
  if (!input.discount) return charge ?? '';
  const discount = formatDiscount(input.discount);
  return charge ? `${discount} — ${charge.charAt(0).toLowerCase()}${charge.slice(1)}` : discount;
}

/** A monthly price after the discount, rounded to the cent as Stripe rounds it. */
export function discountedCents(priceCents: number, discount: TDiscountTerms | null): number {
  if (!discount) return priceCents;
  if (discount.percentOff !== null) return priceCents - Math.round((priceCents * discount.percentOff) / 100);
  return Math.max(0, priceCents - (discount.amountOffCents ?? 0));
}

/** Calendar months in UTC with month ends clamped (Jan 31 + 1 month = Feb 28/29), as Stripe bills. */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

/**
 * What a new monthly subscription will charge, before it exists (Stripe previews only existing ones): today's
 * payment and the next one. A trial's $0 invoice does not use up a `once` coupon; a `repeating` one counts its
 * months from the day it is redeemed, trial included.
 */
export function projectCheckoutCharges(input: {
  priceCents: number;
  discount: TDiscountTerms | null;
  trialDays: number;
  now: Date;
}): { dueTodayCents: number; nextCharge: TNextCharge } {
  const { priceCents, discount, now } = input;
  const appliesAt = (at: Date, usedToday: boolean): boolean => {
    if (!discount) return false;
    if (discount.duration === 'forever') return true;
    if (discount.duration === 'once') return !usedToday;
    return addMonths(now, discount.durationInMonths ?? 1).getTime() > at.getTime();
  };
  if (input.trialDays > 0) {
    const at = new Date(now.getTime() + input.trialDays * 86_400_000);
    const amountCents = appliesAt(at, false) ? discountedCents(priceCents, discount) : priceCents;
    return { dueTodayCents: 0, nextCharge: { amountCents, at } };
  }
  const at = addMonths(now, 1);
  const amountCents = appliesAt(at, true) ? discountedCents(priceCents, discount) : priceCents;
  return { dueTodayCents: discountedCents(priceCents, discount), nextCharge: { amountCents, at } };
}
