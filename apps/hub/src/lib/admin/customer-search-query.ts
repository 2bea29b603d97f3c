import { APP_IDS } from '@omg/contract';
import { z } from 'zod';

/**
 * The console's customer search as it travels: in the page's URL (shareable, back button) and in the query string
 * of GET /api/admin/customers. Browser-safe (zod and the contract only), so the page parses its URL with the very
 * schema the route applies.
 */
export const CUSTOMER_FILTERS = ['past_due', 'trial_ending', 'migrated', 'over_quota'] as const;
export type TCustomerFilter = (typeof CUSTOMER_FILTERS)[number];

export const CUSTOMER_FILTER_LABELS: Record<TCustomerFilter, string> = {
  past_due: 'Past due',
  trial_ending: 'Trial ending',
  migrated: 'Migrated',
  over_quota: 'Over quota',
};

export const CUSTOMER_SORTS = ['signup', 'email', 'plan'] as const;
export type TCustomerSort = (typeof CUSTOMER_SORTS)[number];

export const CUSTOMER_PAGE_SIZES = [25, 50, 100] as const;

/** A search longer than any email, name or Stripe id is a mistake (or an attack), answered with a 400. */
export const CUSTOMER_SEARCH_MAX_LENGTH = 200;
/** Far beyond any real list (100 per page), so OFFSET never walks a table for nothing. */
export const CUSTOMER_SEARCH_MAX_PAGE = 10_000;

export const ZSearchCustomersInputSchema = z.object({
  q: z
    .string()
    .trim()
    .max(CUSTOMER_SEARCH_MAX_LENGTH, `Search for at most ${CUSTOMER_SEARCH_MAX_LENGTH} characters.`)
    // NUL cannot reach PostgreSQL; other control characters never occur in an email, a name or an id.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((q) => !/[\u0000-\u001f\u007f]/.test(q), 'The search contains control characters.')
    .default(''),
  filters: z
    .array(z.enum(CUSTOMER_FILTERS, { message: 'Unknown filter.' }))
    .max(CUSTOMER_FILTERS.length)
    .default([]),
  app: z.enum(APP_IDS, { message: 'Unknown product.' }).nullable().default(null),
  sort: z.enum(CUSTOMER_SORTS, { message: 'Sort by signup, email or plan.' }).default('signup'),
  dir: z.enum(['asc', 'desc'], { message: 'Sort asc or desc.' }).default('desc'),
  page: z
    .number()
    .int('The page is a whole number.')
    .min(1, 'Pages start at 1.')
    .max(CUSTOMER_SEARCH_MAX_PAGE, `Pages stop at ${CUSTOMER_SEARCH_MAX_PAGE}.`)
    .default(1),
  pageSize: z
    .number()
    .int()
    .refine((n) => (CUSTOMER_PAGE_SIZES as readonly number[]).includes(n), 'Show 25, 50 or 100 per page.')
    .default(25),
});
export type TSearchCustomersInput = z.infer<typeof ZSearchCustomersInputSchema>;

/** One query-string value: absent, or given once (a repeated key is a malformed link, refused). */
const one = z.string().max(4_096, 'The link is too long.').optional();

const toNumber = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : Number(value);

/**
 * URL search parameters → search input: `q`, `filter` (comma-separated), `app`, `sort`, `dir`, `page`, `size`.
 * Missing or empty values take the defaults; anything else is validated as above (400 on the API).
 */
export const ZCustomerSearchQuerySchema = z
  .object({ q: one, filter: one, app: one, sort: one, dir: one, page: one, size: one })
  // Typed as unknown: the pipe below is what checks the shape.
  .transform((query): unknown => ({
    q: query.q ?? '',
    filters: query.filter ? query.filter.split(',').filter(Boolean) : [],
    app: query.app || null,
    sort: query.sort || undefined,
    dir: query.dir || undefined,
    page: toNumber(query.page),
    pageSize: toNumber(query.size),
  }))
  .pipe(ZSearchCustomersInputSchema);

/** The search as URL parameters, defaults left out so links stay short. */
export function customerSearchParams(input: TSearchCustomersInput): URLSearchParams {
  const params = new URLSearchParams();
  if (input.q) params.set('q', input.q);
  if (input.filters.length > 0) params.set('filter', input.filters.join(','));
  if (input.app) params.set('app', input.app);
  if (input.sort !== 'signup') params.set('sort', input.sort);
  if (input.dir !== 'desc') params.set('dir', input.dir);
  if (input.page !== 1) params.set('page', String(input.page));
  if (input.pageSize !== 25) params.set('size', String(input.pageSize));
  return params;
}
