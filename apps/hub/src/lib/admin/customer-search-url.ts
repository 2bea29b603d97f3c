// The constants alone: the package's index brings the catalog and with it zod.
import { APP_IDS } from '@omg/contract/constants';
import type { TSearchCustomersInput } from './customer-search-query';

/**
 * The console's customer search as it travels in the page's URL (shareable, back button) and in the query string of
 * GET /api/admin/customers. Zod-free on purpose: the search page reads its URL with readCustomerSearch in the
 * browser, and importing any zod schema there would add zod's core (~30 KB gzipped) to /admin/customers (issue 13:
 * JavaScript per page ≤ 150 KB). The route validates with ZCustomerSearchQuerySchema (customer-search-query.ts),
 * built on these constants; customer-search-url.test.ts holds the two to the same answers and messages.
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
/** The longest value one query-string parameter may have. */
export const CUSTOMER_SEARCH_MAX_PARAM_LENGTH = 4_096;

/** The messages a bad search gets, shared with the zod schema so the page and the API say the same. */
export const CUSTOMER_SEARCH_MESSAGES = {
  linkTooLong: 'The link is too long.',
  searchTooLong: `Search for at most ${CUSTOMER_SEARCH_MAX_LENGTH} characters.`,
  controlCharacters: 'The search contains control characters.',
  unknownFilter: 'Unknown filter.',
  tooManyFilters: `Choose at most ${CUSTOMER_FILTERS.length} filters.`,
  unknownProduct: 'Unknown product.',
  sort: 'Sort by signup, email or plan.',
  dir: 'Sort asc or desc.',
  pageNumber: 'The page is a whole number.',
  firstPage: 'Pages start at 1.',
  lastPage: `Pages stop at ${CUSTOMER_SEARCH_MAX_PAGE}.`,
  pageSize: 'Show 25, 50 or 100 per page.',
} as const;

export const CUSTOMER_SEARCH_DEFAULTS: TSearchCustomersInput = {
  q: '',
  filters: [],
  app: null,
  sort: 'signup',
  dir: 'desc',
  page: 1,
  pageSize: 25,
};

// NUL cannot reach PostgreSQL; other control characters never occur in an email, a name or an id.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const queryNumber = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : Number(value);

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/**
 * URL search parameters → search: `q`, `filter` (comma-separated), `app`, `sort`, `dir`, `page`, `size`. Missing or
 * empty values take the defaults; anything else is checked in the schema's order, and the first problem is the
 * answer's message (the API answers the same search with a 400 carrying that message).
 */
export function readCustomerSearch(
  params: URLSearchParams,
): { ok: true; search: TSearchCustomersInput } | { ok: false; message: string } {
  const raw = Object.fromEntries(params.entries());
  const value = (key: string) => raw[key];
  const keys = ['q', 'filter', 'app', 'sort', 'dir', 'page', 'size'] as const;
  const fail = (message: string) => ({ ok: false as const, message });
  if (keys.some((key) => (value(key)?.length ?? 0) > CUSTOMER_SEARCH_MAX_PARAM_LENGTH))
    return fail(CUSTOMER_SEARCH_MESSAGES.linkTooLong);

  const q = (value('q') ?? '').trim();
  if (q.length > CUSTOMER_SEARCH_MAX_LENGTH) return fail(CUSTOMER_SEARCH_MESSAGES.searchTooLong);
  if (CONTROL_CHARACTERS.test(q)) return fail(CUSTOMER_SEARCH_MESSAGES.controlCharacters);

  const filterWords = value('filter') ? (value('filter') ?? '').split(',').filter(Boolean) : [];
  const filters = filterWords.filter((word) => isOneOf(CUSTOMER_FILTERS, word));
  if (filters.length < filterWords.length) return fail(CUSTOMER_SEARCH_MESSAGES.unknownFilter);
  if (filters.length > CUSTOMER_FILTERS.length) return fail(CUSTOMER_SEARCH_MESSAGES.tooManyFilters);

  const app = value('app') || null;
  if (app !== null && !isOneOf(APP_IDS, app)) return fail(CUSTOMER_SEARCH_MESSAGES.unknownProduct);

  const sort = value('sort') || CUSTOMER_SEARCH_DEFAULTS.sort;
  if (!isOneOf(CUSTOMER_SORTS, sort)) return fail(CUSTOMER_SEARCH_MESSAGES.sort);
  const dir = value('dir') || CUSTOMER_SEARCH_DEFAULTS.dir;
  if (!isOneOf(['asc', 'desc'] as const, dir)) return fail(CUSTOMER_SEARCH_MESSAGES.dir);

  const page = queryNumber(value('page')) ?? CUSTOMER_SEARCH_DEFAULTS.page;
  if (!Number.isInteger(page)) return fail(CUSTOMER_SEARCH_MESSAGES.pageNumber);
  if (page < 1) return fail(CUSTOMER_SEARCH_MESSAGES.firstPage);
  if (page > CUSTOMER_SEARCH_MAX_PAGE) return fail(CUSTOMER_SEARCH_MESSAGES.lastPage);

  const pageSize = queryNumber(value('size')) ?? CUSTOMER_SEARCH_DEFAULTS.pageSize;
  if (!(CUSTOMER_PAGE_SIZES as readonly number[]).includes(pageSize))
    return fail(CUSTOMER_SEARCH_MESSAGES.pageSize);

  return { ok: true, search: { q, filters, app, sort, dir, page, pageSize } };
}

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
