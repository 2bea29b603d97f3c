import { SVD_PLAN_IDS } from '@omg/contract';
import { ZTypedNameSchema } from '@omg/platform';
import { z } from 'zod';

/** The export's columns (SPEC §7), in the order docs/examples/svd-export.csv has them; the last two may be absent. */
export const SVD_EXPORT_COLUMNS = [
  'email',
  'name',
  'plan',
  'start_date',
  'monthly_price',
  'stripe_customer_id',
  'stripe_subscription_id',
] as const;
export type TSvdExportColumn = (typeof SVD_EXPORT_COLUMNS)[number];
export const SVD_EXPORT_REQUIRED_COLUMNS = SVD_EXPORT_COLUMNS.slice(0, 5);

/** Paid SVD plans: a trial is not something a customer paid for directly, so it has nothing to keep. */
const MIGRATABLE_PLANS = SVD_PLAN_IDS.filter((plan) => plan !== 'trial');

/** Today's date in UTC as YYYY-MM-DD: the export's dates are calendar dates, compared as such. */
const todayUtc = () => new Date().toISOString().slice(0, 10);

/** `14.99` → 1499. Parsed from the text (no floating point), at most two decimals, never negative. */
const ZMonthlyPriceSchema = z
  .string()
  .trim()
  .refine((value) => /^-?\d+(\.\d+)?$/.test(value), { message: 'is not a number (use 14.99)' })
  .refine((value) => !value.startsWith('-'), { message: 'must not be negative' })
  .refine((value) => !/\.\d{3,}$/.test(value), { message: 'has more than two decimals' })
  .transform((value) => {
    const [whole = '0', fraction = ''] = value.split('.');
    return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  })
  .refine((cents) => cents <= 100_000_000, { message: 'is implausibly large' });

/** An optional Stripe id: an empty cell means none. */
const optionalStripeId = (prefix: string) =>
  z
    .string()
    .trim()
    .transform((value) => value || undefined)
    .pipe(
      z
        .string()
        .regex(new RegExp(`^${prefix}_[A-Za-z0-9]+$`), { message: `must look like ${prefix}_…` })
        .optional(),
    )
    .optional();

/** One line of the export, by column name; the output is what the migration writes. */
export const ZSvdExportRowSchema = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: 'is not a valid email address' })),
    name: z.string().trim().max(200, { message: 'is longer than 200 characters' }).pipe(ZTypedNameSchema),
    plan: z
      .string()
      .trim()
      .toLowerCase()
      .refine((plan) => plan !== 'trial', { message: 'trial is not a paid plan: leave trial users out' })
      .pipe(z.enum(MIGRATABLE_PLANS, { message: `is not an SVD plan (${MIGRATABLE_PLANS.join(', ')})` })),
    start_date: z
      .string()
      .trim()
      .pipe(z.iso.date({ message: 'is not a date (YYYY-MM-DD)' }))
      .refine((date) => date <= todayUtc(), { message: 'is in the future' }),
    monthly_price: ZMonthlyPriceSchema,
    stripe_customer_id: optionalStripeId('cus'),
    stripe_subscription_id: optionalStripeId('sub'),
  })
  .transform((row) => ({
    email: row.email,
    name: row.name,
    plan: row.plan,
    startDate: row.start_date,
    monthlyPriceCents: row.monthly_price,
    stripeCustomerId: row.stripe_customer_id,
    stripeSubscriptionId: row.stripe_subscription_id,
  }));

export type TSvdExportRow = z.infer<typeof ZSvdExportRowSchema>;
