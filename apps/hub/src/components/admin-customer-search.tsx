'use client';

import { APP_IDS, findProductByAppId } from '@omg/contract';
import { FetchJsonError, fetchJson } from '@omg/platform/client';
import {
  functionalUpdate,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CUSTOMER_FILTER_LABELS,
  CUSTOMER_FILTERS,
  CUSTOMER_PAGE_SIZES,
  CUSTOMER_SEARCH_MAX_LENGTH,
  customerSearchParams,
  type TCustomerFilter,
  type TCustomerSort,
  type TSearchCustomersInput,
  ZCustomerSearchQuerySchema,
} from '@/lib/admin/customer-search-query';

/** A row as GET /api/admin/customers sends it (dates as ISO strings). */
interface TCustomerRowJson {
  userId: string;
  email: string;
  name: string | null;
  signedUpAt: string | null;
  role: string;
  deletedAt: string | null;
  bannedAt: string | null;
  apps: {
    appId: string;
    appName: string;
    planName: string;
    status: string;
    trialEndsAt: string | null;
    cancelAtPeriodEnd: boolean;
    migrated: boolean;
  }[];
}

interface TSearchAnswer {
  rows: TCustomerRowJson[];
  total: number;
  totalCapped: boolean;
}

const DEFAULTS = ZCustomerSearchQuerySchema.parse({});
const features = tableFeatures({ rowSortingFeature });

const day = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' }) : '—';

function planWords(app: TCustomerRowJson['apps'][number]): { text: string; tone: string } {
  if (app.status === 'past_due') return { text: 'Past due', tone: 'bg-amber-50 text-amber-800' };
  if (app.status === 'canceled') return { text: 'Canceled', tone: 'bg-rose-50 text-rose-700' };
  if (app.trialEndsAt && new Date(app.trialEndsAt) > new Date())
    return { text: `Trial to ${day(app.trialEndsAt)}`, tone: 'bg-sky-50 text-sky-700' };
  if (app.cancelAtPeriodEnd) return { text: 'Cancels at period end', tone: 'bg-amber-50 text-amber-800' };
  return { text: 'Active', tone: 'bg-emerald-50 text-emerald-700' };
}

/** Sort column ids are the API's sort keys. */
const SORTABLE: Record<string, TCustomerSort> = { customer: 'email', signup: 'signup', plan: 'plan' };

/**
 * /admin/customers (issue 14): one search box, filter chips, a product, sortable headers and pages, all kept in the
 * URL (a link can be shared; back and forward step through searches). Each answer comes from GET
 * /api/admin/customers; an answer that arrives after a newer search started is dropped.
 */
export function AdminCustomerSearch() {
  const searchParams = useSearchParams();
  const parsed = ZCustomerSearchQuerySchema.safeParse(Object.fromEntries(searchParams.entries()));
  const search: TSearchCustomersInput = parsed.success ? parsed.data : DEFAULTS;
  const queryString = customerSearchParams(search).toString();

  const [text, setText] = useState(search.q);
  const [answer, setAnswer] = useState<TSearchAnswer | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(
    parsed.success ? null : (parsed.error.issues[0]?.message ?? null),
  );
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

  const sorting: SortingState = [
    {
      id: Object.entries(SORTABLE).find(([, key]) => key === search.sort)?.[0] ?? 'signup',
      desc: search.dir === 'desc',
    },
  ];
  const columns = useMemo(
    () => [
      {
        id: 'customer',
        header: 'Customer',
        enableSorting: true,
        cell: ({ row }: { row: { original: TCustomerRowJson } }) => (
          <Link
            href={`/admin/customers/${encodeURIComponent(row.original.userId)}`}
            className="block font-medium text-slate-900 hover:underline"
          >
            <span className="block break-all">{row.original.email}</span>
            <span className="block text-xs font-normal text-slate-500">{row.original.name ?? '—'}</span>
          </Link>
        ),
      },
      {
        id: 'signup',
        header: 'Signed up',
        enableSorting: true,
        cell: ({ row }: { row: { original: TCustomerRowJson } }) => (
          <span className="whitespace-nowrap">{day(row.original.signedUpAt)}</span>
        ),
      },
      {
        id: 'plan',
        header: 'Plans',
        enableSorting: true,
        cell: ({ row }: { row: { original: TCustomerRowJson } }) =>
          row.original.apps.length === 0 ? (
            <span className="text-slate-400">No plan</span>
          ) : (
            <ul className="space-y-1">
              {row.original.apps.map((app) => {
                const words = planWords(app);
                return (
                  <li key={app.appId} className="text-xs">
                    <span className="font-medium text-slate-800">
                      {app.appName} · {app.planName}
                    </span>{' '}
                    <span className={`inline-flex rounded-full px-2 py-0.5 ${words.tone}`}>{words.text}</span>
                    {app.migrated ? (
                      <span className="ml-1 inline-flex rounded-full bg-violet-50 px-2 py-0.5 text-violet-700">
                        Migrated
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ),
      },
      {
        id: 'account',
        header: 'Account',
        enableSorting: false,
        cell: ({ row }: { row: { original: TCustomerRowJson } }) => (
          <span className="text-xs">
            {row.original.deletedAt ? (
              <span className="rounded-full bg-rose-50 px-2 py-0.5 text-rose-700">Deleted</span>
            ) : row.original.bannedAt ? (
              <span className="rounded-full bg-rose-50 px-2 py-0.5 text-rose-700">Banned</span>
            ) : (
              <span className="text-slate-600">
                {row.original.role === 'user' ? 'Customer' : row.original.role}
              </span>
            )}
            <span className="mt-1 block font-mono text-[11px] break-all text-slate-400">
              {row.original.userId}
            </span>
          </span>
        ),
      },
    ],
    [],
  );

  const table = useTable({
    features,
    columns,
    data: answer?.rows ?? [],
    getRowId: (row: TCustomerRowJson) => row.userId,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      const sort = next ? SORTABLE[next.id] : undefined;
      if (sort) navigate({ sort, dir: next?.desc ? 'desc' : 'asc' });
    },
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
            {APP_IDS.map((appId) => (
              <option key={appId} value={appId}>
                {findProductByAppId(appId)?.name ?? appId}
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
        <table className="min-w-[44rem] w-full text-left text-sm">
          <thead className="bg-slate-50 text-slate-500">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const label = String(header.column.columnDef.header ?? '');
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className="px-4 py-3 font-medium"
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                      }
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 hover:text-slate-900"
                        >
                          {label}
                          <span aria-hidden="true">
                            {sorted === 'asc' ? '↑' : sorted === 'desc' ? '↓' : '↕'}
                          </span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-200">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-testid="customer-row" className="align-top hover:bg-slate-50">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-4 py-3">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {answer && answer.rows.length === 0 && !loading ? (
              <tr>
                <td colSpan={columns.length} className="px-4 py-10 text-center text-slate-500">
                  {narrowed
                    ? `No customers match ${search.q ? `“${search.q}”` : 'these filters'}${
                        search.q && (search.filters.length > 0 || search.app) ? ' with these filters' : ''
                      }.`
                    : 'No customers yet.'}
                </td>
              </tr>
            ) : null}
            {!answer && loading ? (
              <tr>
                <td colSpan={columns.length} className="px-4 py-10 text-center text-slate-500">
                  Loading customers…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
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
