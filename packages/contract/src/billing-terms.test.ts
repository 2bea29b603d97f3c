import { describe, expect, it } from 'vitest';
import {
  addMonths,
  discountedCents,
  formatBillingSummary,
  formatDiscount,
  formatNextCharge,
  projectCheckoutCharges,
  type TDiscountTerms,
  ZDiscountTermsSchema,
} from './billing-terms';
import { planDisplayName } from './catalog';

const percent = (duration: TDiscountTerms['duration'], months: number | null = null): TDiscountTerms => ({
  percentOff: 20,
  amountOffCents: null,
  duration,
  durationInMonths: months,
});
const jan1 = new Date('2027-01-01T00:00:00Z');

describe('billing terms wording', () => {
  it('words every duration of a percentage and an amount coupon', () => {
    expect(formatDiscount(percent('repeating', 3))).toBe('20% off for 3 months');
    expect(formatDiscount(percent('repeating', 1))).toBe('20% off for 1 month');
    expect(formatDiscount(percent('forever'))).toBe('20% off forever');
    expect(formatDiscount(percent('once'))).toBe('20% off once');
    expect(
      formatDiscount({ percentOff: null, amountOffCents: 500, duration: 'forever', durationInMonths: null }),
    ).toBe('$5.00 off forever');
    expect(formatDiscount({ ...percent('forever'), percentOff: 12.5 })).toBe('12.5% off forever');
  });

  it('says the next charge with its amount and its calendar day in UTC', () => {
    expect(formatNextCharge({ amountCents: 1199, at: jan1 })).toBe('Next charge $11.99 on Jan 1, 2027');
    // 23:30 in New York is already the next day in UTC: the day shown is UTC's, wherever the server runs.
    expect(formatNextCharge({ amountCents: 0, at: new Date('2026-12-08T04:30:00Z') })).toBe(
      'Next charge $0.00 on Dec 8, 2026',
    );
  });

  it('joins discount and next charge in one line, and stands either alone', () => {
    expect(
      formatBillingSummary({
        discount: percent('repeating', 3),
        nextCharge: { amountCents: 1199, at: jan1 },
      }),
    ).toBe('20% off for 3 months — next charge $11.99 on Jan 1, 2027');
    expect(formatBillingSummary({ discount: null, nextCharge: { amountCents: 1499, at: jan1 } })).toBe(
      'Next charge $14.99 on Jan 1, 2027',
    );
    expect(formatBillingSummary({ discount: percent('forever'), nextCharge: null })).toBe('20% off forever');
    expect(formatBillingSummary({ discount: null, nextCharge: null })).toBe('');
    expect(
      formatBillingSummary({
        discount: percent('once'),
        nextCharge: { amountCents: 1199, at: jan1 },
        first: true,
      }),
    ).toBe('20% off once — first charge $11.99 on Jan 1, 2027');
    expect(formatNextCharge({ amountCents: 1499, at: jan1 }, { first: true })).toBe(
      'First charge $14.99 on Jan 1, 2027',
    );
  });

  it('refuses terms that are both or neither a percentage and an amount', () => {
    expect(ZDiscountTermsSchema.safeParse(percent('forever')).success).toBe(true);
    expect(ZDiscountTermsSchema.safeParse({ ...percent('forever'), amountOffCents: 100 }).success).toBe(
      false,
    );
    expect(ZDiscountTermsSchema.safeParse({ ...percent('forever'), percentOff: null }).success).toBe(false);
  });

  it('names plans from the catalog, never by id', () => {
    expect(planDisplayName('app_securevault', 'growth')).toBe('Growth');
    expect(planDisplayName('app_securevault', 'business_pro')).toBe('Business Pro');
    expect(planDisplayName('app_securevault', 'legacy_plus')).toBe('Legacy Plus');
  });
});

describe('checkout charge projection', () => {
  const now = new Date('2026-12-01T10:00:00Z');

  it('rounds a percentage to the cent and never takes an amount below zero', () => {
    expect(discountedCents(1499, percent('forever'))).toBe(1199);
    expect(discountedCents(799, percent('forever'))).toBe(639);
    expect(
      discountedCents(300, {
        percentOff: null,
        amountOffCents: 500,
        duration: 'once',
        durationInMonths: null,
      }),
    ).toBe(0);
    expect(discountedCents(1499, null)).toBe(1499);
  });

  it('clamps month ends as Stripe bills them', () => {
    expect(addMonths(new Date('2027-01-31T12:00:00Z'), 1).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(addMonths(new Date('2028-01-31T12:00:00Z'), 1).toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(addMonths(new Date('2026-12-15T00:00:00Z'), 3).toISOString()).toBe('2027-03-15T00:00:00.000Z');
  });

  it('without a trial: the discount today, and on the renewal only while it lasts', () => {
    const base = { priceCents: 1499, trialDays: 0, now };
    const renewal = new Date('2027-01-01T10:00:00Z');
    expect(projectCheckoutCharges({ ...base, discount: percent('forever') })).toEqual({
      dueTodayCents: 1199,
      nextCharge: { amountCents: 1199, at: renewal },
    });
    expect(
      projectCheckoutCharges({ ...base, discount: percent('repeating', 3) }).nextCharge.amountCents,
    ).toBe(1199);
    expect(
      projectCheckoutCharges({ ...base, discount: percent('repeating', 1) }).nextCharge.amountCents,
    ).toBe(1499);
    expect(projectCheckoutCharges({ ...base, discount: percent('once') })).toEqual({
      dueTodayCents: 1199,
      nextCharge: { amountCents: 1499, at: renewal },
    });
    expect(projectCheckoutCharges({ ...base, discount: null })).toEqual({
      dueTodayCents: 1499,
      nextCharge: { amountCents: 1499, at: renewal },
    });
  });

  it('with a trial: nothing today, and the first charge at its end keeps a once coupon', () => {
    const base = { priceCents: 1499, trialDays: 7, now };
    const trialEnd = new Date('2026-12-08T10:00:00Z');
    for (const discount of [percent('once'), percent('repeating', 1), percent('forever')]) {
      expect(projectCheckoutCharges({ ...base, discount })).toEqual({
        dueTodayCents: 0,
        nextCharge: { amountCents: 1199, at: trialEnd },
      });
    }
    expect(projectCheckoutCharges({ ...base, discount: null }).nextCharge.amountCents).toBe(1499);
  });
});
