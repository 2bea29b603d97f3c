import { z } from 'zod';

/**
 * A coupon as the customer meets it, in Stripe's terms (`percent_off` / `amount_off`, `duration`,
 * `duration_in_months`), validated where it enters (the coupon route, Stripe's answers on the server). Its own
 * module, apart from the wording in billing-terms.ts: the checkout page's coupon field words a discount in the
 * browser, and a zod schema beside those functions brought zod's core (about 30 KB gzipped) into that page.
 */
export const ZDiscountTermsSchema = z
  .object({
    percentOff: z.number().positive().max(100).nullable(),
    amountOffCents: z.number().int().positive().nullable(),
    duration: z.enum(['once', 'repeating', 'forever']),
    durationInMonths: z.number().int().positive().nullable(),
  })
  .refine((d) => (d.percentOff === null) !== (d.amountOffCents === null), {
    message: 'A discount is either a percentage or an amount.',
  });
export type TDiscountTerms = z.infer<typeof ZDiscountTermsSchema>;
