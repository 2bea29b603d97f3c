import { APP_IDS, findProductByAppId } from '@omg/contract';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AdminCustomerSearch } from '@/components/admin-customer-search';
import { AdminNav } from '@/components/admin-nav';
import { requireStaffPage } from '@/lib/admin/require-staff-page';

export const metadata: Metadata = { title: 'Customers', robots: { index: false } };

// Who may see it is checked on every request: never prerendered or cached.
export const dynamic = 'force-dynamic';

/**
 * The console's customer search (issue 14). The staff check runs here, on the server, before anything renders;
 * the search itself runs in the browser against GET /api/admin/customers, with its state in the URL.
 */
export default async function AdminCustomersPage() {
  await requireStaffPage('/admin/customers', { role: 'support' });
  return (
    <div className="min-w-0">
      <AdminNav current="/admin/customers" />
      <h1 className="text-3xl font-semibold tracking-tight">Customers</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600">
        Find any customer of any product. Three characters or more search inside emails and names; one or two
        match their start.
      </p>
      <Suspense fallback={<p className="text-sm text-slate-500">Loading customers…</p>}>
        <AdminCustomerSearch
          products={APP_IDS.map((appId) => ({ appId, name: findProductByAppId(appId)?.name ?? appId }))}
        />
      </Suspense>
    </div>
  );
}
