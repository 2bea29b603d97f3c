'use client';

import {
  functionalUpdate,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import Link from 'next/link';
import { useMemo } from 'react';
import type { TCustomerSort } from '@/lib/admin/customer-search-url';

/** A row as GET /api/admin/customers sends it (dates as ISO strings). */
export interface TCustomerRowJson {
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

// Only the sorting feature (sorted on the server: no row models): the smallest import of the table library.
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
 * The customer search's results (issue 14): a table with sortable headers, sorted on the server. Its own module so
 * the search page loads it with next/dynamic (admin-customer-search.tsx): the table library (~11 KB gzipped) arrives
 * beside the first answer instead of in the page's first JavaScript (issue 13: ≤ 150 KB per page).
 */
export function AdminCustomerTable({
  rows,
  sort,
  dir,
  onSort,
  note,
}: {
  rows: TCustomerRowJson[];
  sort: TCustomerSort;
  dir: 'asc' | 'desc';
  onSort: (sort: TCustomerSort, dir: 'asc' | 'desc') => void;
  /** Words in place of rows: no match, or still loading. */
  note: string | null;
}) {
  const sorting: SortingState = [
    {
      id: Object.entries(SORTABLE).find(([, key]) => key === sort)?.[0] ?? 'signup',
      desc: dir === 'desc',
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
    data: rows,
    getRowId: (row: TCustomerRowJson) => row.userId,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      const sort = next ? SORTABLE[next.id] : undefined;
      if (sort) onSort(sort, next?.desc ? 'desc' : 'asc');
    },
  });

  return (
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
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                >
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className="inline-flex items-center gap-1 hover:text-slate-900"
                    >
                      {label}
                      <span aria-hidden="true">{sorted === 'asc' ? '↑' : sorted === 'desc' ? '↓' : '↕'}</span>
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
        {note ? (
          <tr>
            <td colSpan={columns.length} className="px-4 py-10 text-center text-slate-500">
              {note}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
