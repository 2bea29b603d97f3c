import { APP_IDS } from '@omg/contract';
import { z } from 'zod';
import {
  CONTROL_CHARACTERS,
  CUSTOMER_FILTERS,
  CUSTOMER_PAGE_SIZES,
  CUSTOMER_SEARCH_MAX_LENGTH,
  CUSTOMER_SEARCH_MAX_PAGE,
  CUSTOMER_SEARCH_MAX_PARAM_LENGTH,
  CUSTOMER_SORTS,
  CUSTOMER_SEARCH_MESSAGES as M,
  queryNumber,
} from './customer-search-url';

/**
 * The console's customer search at the server boundary: GET /api/admin/customers validates its query string with
 * ZCustomerSearchQuerySchema. The constants, the messages and the browser's zod-free reading of the same URL are in
 * customer-search-url.ts (the search page must not load zod); customer-search-url.test.ts holds both to one answer.
 */
export const ZSearchCustomersInputSchema = z.object({
  q: z
    .string()
    .trim()
    .max(CUSTOMER_SEARCH_MAX_LENGTH, M.searchTooLong)
    .refine((q) => !CONTROL_CHARACTERS.test(q), M.controlCharacters)
    .default(''),
  filters: z
    .array(z.enum(CUSTOMER_FILTERS, { message: M.unknownFilter }))
    .max(CUSTOMER_FILTERS.length, M.tooManyFilters)
    .default([]),
  app: z.enum(APP_IDS, { message: M.unknownProduct }).nullable().default(null),
  sort: z.enum(CUSTOMER_SORTS, { message: M.sort }).default('signup'),
  dir: z.enum(['asc', 'desc'], { message: M.dir }).default('desc'),
  page: z
    .number({ message: M.pageNumber })
    .int(M.pageNumber)
    .min(1, M.firstPage)
    .max(CUSTOMER_SEARCH_MAX_PAGE, M.lastPage)
    .default(1),
  pageSize: z
    .number({ message: M.pageSize })
    .refine((n) => (CUSTOMER_PAGE_SIZES as readonly number[]).includes(n), M.pageSize)
    .default(25),
});
export type TSearchCustomersInput = z.infer<typeof ZSearchCustomersInputSchema>;

/** One query-string value: absent, or given once (a repeated key is a malformed link, refused). */
const one = z.string().max(CUSTOMER_SEARCH_MAX_PARAM_LENGTH, M.linkTooLong).optional();

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
    page: queryNumber(query.page),
    pageSize: queryNumber(query.size),
  }))
  .pipe(ZSearchCustomersInputSchema);
