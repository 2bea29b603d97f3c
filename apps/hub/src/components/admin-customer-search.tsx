'use client';

import { FetchJsonError, fetchJson } from '@omg/platform/client';
import dynamic from 'next/dynamic';
import { useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { TSearchCustomersInput } from '@/lib/admin/customer-search-query';
import {
  CUSTOMER_FILTER_LABELS,
  CUSTOMER_FILTERS,
  CUSTOMER_PAGE_SIZES,
  CUSTOMER_SEARCH_DEFAULTS,
  CUSTOMER_SEARCH_MAX_LENGTH,
  customerSearchParams,
  readCustomerSearch,
  type TCustomerFilter,
} from '@/lib/admin/customer-search-url';
import type { TCustomerRowJson } from './admin-customer-table';

/**
 * The results table and with it the table library, loaded beside the first answer rather than in the page's first
 * JavaScript (issue 13: ≤ 150 KB per page). Still rendered on the server: the headers show before it arrives.
 */
const AdminCustomerTable = dynamic(() => import('./admin-customer-table').then((m) => m.AdminCustomerTable), {
  loading: () => <p className="px-4 py-10 text-center text-sm text-slate-500">Loading customers…</p>,
});

interface TSearchAnswer {
  rows: TCustomerRowJson[];
  total: number;
  totalCapped: boolean;
}

/**
 * /admin/customers (issue 14): one search box, filter chips, a product, sortable headers and pages, all kept in the
 * URL (a link can be shared; back and forward step through searches). Each answer comes from GET
 * /api/admin/customers; an answer that arrives after a newer search started is dropped. The products' names come
 * from the server page: @omg/contract's catalog would bring zod into this page.
 */
export function AdminCustomerSearch({ products }: { products: { appId: string; name: string }[] }) {
  const searchParams = useSearchParams();
  // Read without zod (its core would add ~30 KB to this page); the API checks the same query with the schema.
  const parsed = readCustomerSearch(searchParams);
  const search: TSearchCustomersInput = parsed.ok ? parsed.search : CUSTOMER_SEARCH_DEFAULTS;
  const queryString = customerSearchParams(search).toString();

  const [text, setText] = useState(search.q);
  const [answer, setAnswer] = useState<TSearchAnswer | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(parsed.ok ? null : parsed.message);
  const latest = useRef(0);

  // Back/forward (or a shared link) changes the URL: the box follows it, unless it already says the same (a pause
  // while typing "ann " must not lose the space).
  useEffect(() => setText((typed) => (typed.trim() === search.q ? typed : search.q)), [search.q]);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    fetchJson<TSearchAnswer>(`/api/admin/customers${queryString ? `?${queryString}` : ''}`, {
      fallback: 'The search failed. Try again.',
    })
      .then((result) => {
        if (ticket !== latest.current) return;
        setAnswer(result);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (ticket !== latest.current) return;
        // Idle for too long: confirm the password, then come back to this very search.
        if (failure instanceof FetchJsonError && failure.status === 403) {
          window.location.assign(`/admin/confirm?next=${encodeURIComponent('/admin/customers')}`);
          return;
        }
        setError(failure instanceof Error ? failure.message : 'The search failed. Try again.');
      })
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
  }, [queryString]);

  /** A new search in the URL: pushed (a step for the back button), or replaced while typing. */
  function navigate(change: Partial<TSearchCustomersInput>, mode: 'push' | 'replace' = 'push') {
    const next = customerSearchParams({ ...search, page: 1, ...change }).toString();
    const url = `${window.location.pathname}${next ? `?${next}` : ''}`;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }

  // Typing searches after a short pause, without adding a history step per keystroke.
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(() => navigate({ q: text.trim() }, 'replace'), 300);
    return () => clearTimeout(timer);
  });

  const shownTotal = answer?.total ?? 0;
  const pages = Math.max(1, Math.ceil(shownTotal / search.pageSize));
  const toggleFilter = (filter: TCustomerFilter) =>
    navigate({
      filters: search.filters.includes(filter)
        ? search.filters.filter((f) => f !== filter)
        : [...search.filters, filter],
    });
  const narrowed = search.q !== '' || search.filters.length > 0 || search.app !== null;

  return (
    <div className="min-w-0">
      <form
        aria-label="Customers"
        onSubmit={(event) => {
          event.preventDefault();
          navigate({ q: text.trim() });
        }}
      >
        <label className="block">
          <span className="mb-1 block text-sm font-medium text-slate-700">
            Email, name, user id, Stripe customer (cus_…) or subscription (sub_…)
          </span>
          <input
            type="search"
            name="q"
            value={text}
            maxLength={CUSTOMER_SEARCH_MAX_LENGTH}
            onChange={(event) => setText(event.target.value)}
            placeholder="Search customers"
            autoComplete="off"
            spellCheck={false}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
          />
        </label>
      </form>

      <fieldset className="mt-3 flex min-w-0 flex-wrap items-center gap-2">
        <legend className="sr-only">Filters</legend>
        {CUSTOMER_FILTERS.map((filter) => {
          const on = search.filters.includes(filter);
          return (
            <button
              key={filter}
              type="button"
              aria-pressed={on}
              onClick={() => toggleFilter(filter)}
              className={
                on
                  ? 'rounded-full border border-slate-900 bg-slate-900 px-3 py-1 text-sm text-white'
                  : 'rounded-full border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:border-slate-400'
              }
            >
              {CUSTOMER_FILTER_LABELS[filter]}
            </button>
          );
        })}
        <label className="flex items-center gap-1 text-sm text-slate-600">
          <span className="sr-only">Product</span>
          <select
            value={search.app ?? ''}
            onChange={(event) =>
              navigate({ app: (event.target.value || null) as TSearchCustomersInput['app'] })
            }
            className="rounded-full border border-slate-300 bg-white px-3 py-1 text-sm"
          >
            <option value="">All products</option>
            {products.map((product) => (
              <option key={product.appId} value={product.appId}>
                {product.name}
              </option>
            ))}
          </select>
        </label>
      </fieldset>

      <p
        className="mt-4 text-sm text-slate-600"
        role="status"
        aria-live="polite"
        data-testid="customer-count"
      >
        {loading
          ? 'Searching…'
          : answer
            ? answer.totalCapped
              ? `More than ${shownTotal.toLocaleString('en-US')} customers — narrow the search to see them all.`
              : `${shownTotal.toLocaleString('en-US')} ${shownTotal === 1 ? 'customer' : 'customers'}`
            : ''}
      </p>
      {error ? (
        <p className="mt-2 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700" role="alert">
          {error}
        </p>
      ) : null}

      <div
        className={`mt-3 overflow-x-auto rounded-2xl border border-slate-200 bg-white ${loading ? 'opacity-60' : ''}`}
        aria-busy={loading}
      >
        <AdminCustomerTable
          rows={answer?.rows ?? []}
          sort={search.sort}
          dir={search.dir}
          onSort={(sort, dir) => navigate({ sort, dir })}
          note={
            answer && answer.rows.length === 0 && !loading
              ? narrowed
                ? `No customers match ${search.q ? `“${search.q}”` : 'these filters'}${
                    search.q && (search.filters.length > 0 || search.app) ? ' with these filters' : ''
                  }.`
                : 'No customers yet.'
              : !answer && loading
                ? 'Loading customers…'
                : null
          }
        />
      </div>

      <nav className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm" aria-label="Pages">
        <span className="text-slate-600">
          Page {search.page} of {pages.toLocaleString('en-US')}
        </span>
        <div className="flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-1 text-slate-600">
            Per page
            <select
              value={search.pageSize}
              onChange={(event) => navigate({ pageSize: Number(event.target.value) })}
              className="rounded-md border border-slate-300 bg-white px-2 py-1"
            >
              {CUSTOMER_PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={search.page <= 1}
            onClick={() => navigate({ page: search.page - 1 })}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 disabled:opacity-40"
          >
            Previous
          </button>
          <button
            type="button"
            disabled={search.page >= pages}
            onClick={() => navigate({ page: search.page + 1 })}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 disabled:opacity-40"
          >
            Next
          </button>
        </div>
      </nav>
    </div>
  );
}
