import { CATALOG } from '@omg/contract';
import { z } from 'zod';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The longest range the dashboard computes at once (three years of months). */
export const MAX_MONTHS = 36;

const monthStart = (month: string) => new Date(`${month}-01T00:00:00.000Z`);
const monthKey = (date: Date) => date.toISOString().slice(0, 7);
const addMonths = (date: Date, months: number) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));

/** The product filter: every product, or one catalog app id. */
export const ZMetricsProductSchema = z
  .string()
  .refine((value) => value === 'all' || CATALOG.some((p) => p.appId === value), 'There is no such product.');

/**
 * The dashboard's URL state: `from` and `to` are months (YYYY-MM, UTC, both included), `product` is 'all' or an
 * app id. Missing values default to the twelve months up to the current one, every product.
 */
export const ZMetricsQuerySchema = z
  .object({
    from: z.string().regex(MONTH, 'Give the first month as YYYY-MM.').optional(),
    to: z.string().regex(MONTH, 'Give the last month as YYYY-MM.').optional(),
    product: ZMetricsProductSchema.optional(),
  })
  .transform((input, context) => {
    const now = new Date();
    const to = input.to ?? monthKey(now);
    const from = input.from ?? monthKey(addMonths(monthStart(to), -11));
    const months = monthsBetween(from, to);
    if (months.length === 0) {
      context.addIssue({
        code: 'custom',
        message: 'The first month must not be after the last.',
        path: ['from'],
      });
      return z.NEVER;
    }
    if (months.length > MAX_MONTHS) {
      context.addIssue({ code: 'custom', message: `Choose at most ${MAX_MONTHS} months.`, path: ['from'] });
      return z.NEVER;
    }
    return { from, to, product: input.product ?? 'all', months };
  });
export type TMetricsQuery = z.output<typeof ZMetricsQuerySchema>;

/** One month of the range: [start, end) in UTC, and its key (YYYY-MM). */
export interface TMonth {
  key: string;
  start: Date;
  end: Date;
}

/** The months from `from` to `to`, both included (empty when `from` is later). */
export function monthsBetween(from: string, to: string): TMonth[] {
  const months: TMonth[] = [];
  for (let start = monthStart(from); start <= monthStart(to); start = addMonths(start, 1)) {
    months.push({ key: monthKey(start), start, end: addMonths(start, 1) });
    if (months.length > MAX_MONTHS) break;
  }
  return months;
}
