import type { Metadata } from 'next';
import { AdminNav } from '@/components/admin-nav';
import { listAuditEntries } from '@/lib/admin/list-audit-entries';
import { requireStaffPage } from '@/lib/admin/require-staff-page';
import { db } from '@/lib/db';

export const metadata: Metadata = { title: 'Console', robots: { index: false } };

// Who and what change with every request: never prerendered or cached.
export const dynamic = 'force-dynamic';

const when = (date: Date) =>
  `${date.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;

const describeChange = (before: unknown, after: unknown) =>
  before === null && after === null ? '—' : `${JSON.stringify(before)} → ${JSON.stringify(after)}`;

/** The operator's console home (issue 14): who you are, and the latest audit entries. Later pages hang from here. */
export default async function AdminPage() {
  const staff = await requireStaffPage('/admin', { role: 'support' });
  const entries = await listAuditEntries(db(), 50);
  return (
    <div>
      <AdminNav current="/admin" />
      <h1 className="text-3xl font-semibold tracking-tight">Console</h1>
      <p className="mt-2 text-sm text-slate-600">
        Signed in as <span className="font-medium">{staff.email}</span> · role{' '}
        <span className="font-medium" data-testid="staff-role">
          {staff.role}
        </span>
      </p>
      {/* A plain GET form: the search opens on /admin/customers, with the query in its URL. */}
      <form
        action="/admin/customers"
        method="get"
        className="mt-6 flex max-w-xl gap-2"
        aria-label="Find a customer"
      >
        <label className="min-w-0 flex-1">
          <span className="sr-only">Email, name, user id or Stripe id</span>
          <input
            type="search"
            name="q"
            maxLength={200}
            placeholder="Find a customer: email, name, user id, cus_… or sub_…"
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
          />
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
          Search
        </button>
      </form>
      <section className="mt-8" aria-labelledby="audit-heading">
        <h2 id="audit-heading" className="text-lg font-semibold">
          Audit log
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          The latest 50 entries. The log cannot be edited or erased.
        </p>
        {entries.length === 0 ? (
          <p className="rounded-2xl border border-slate-200 bg-white px-6 py-8 text-center text-sm text-slate-500">
            No audit entries yet.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-500">
                <tr>
                  <th className="px-4 py-3 font-medium">When</th>
                  <th className="px-4 py-3 font-medium">Actor</th>
                  <th className="px-4 py-3 font-medium">Action</th>
                  <th className="px-4 py-3 font-medium">Target</th>
                  <th className="px-4 py-3 font-medium">Reason</th>
                  <th className="px-4 py-3 font-medium">Change</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td className="whitespace-nowrap px-4 py-3">{when(entry.createdAt)}</td>
                    <td className="px-4 py-3">
                      {entry.actorEmail ?? entry.actorUserId}
                      <span className="block text-xs text-slate-500">{entry.actorRole}</span>
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 font-mono text-xs">{entry.action}</td>
                    <td className="px-4 py-3 break-all">{entry.targetEmail ?? entry.targetUserId ?? '—'}</td>
                    <td className="px-4 py-3">{entry.reason}</td>
                    <td className="px-4 py-3 font-mono text-xs break-all">
                      {describeChange(entry.before, entry.after)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
