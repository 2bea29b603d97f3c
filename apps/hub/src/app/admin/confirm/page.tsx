import type { Metadata } from 'next';
import { AdminConfirmForm } from '@/components/admin-confirm-form';
import { STAFF_RECENT_SIGN_IN_MINUTES } from '@/lib/admin/require-staff';
import { adminReturnPath, requireStaffPage } from '@/lib/admin/require-staff-page';

export const metadata: Metadata = { title: 'Confirm your password', robots: { index: false } };

/** Where stale staff sessions are sent (issue 14); everyone else gets the 404 page, as at /admin. */
export default async function AdminConfirmPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const staff = await requireStaffPage('/admin', { role: 'support', recentSignInMinutes: false });
  const next = adminReturnPath((await searchParams).next);
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Confirm your password</h1>
      <p className="mt-2 mb-6 text-sm text-slate-600">
        The console asks for your password again after {STAFF_RECENT_SIGN_IN_MINUTES} minutes without
        activity. Signed in as <span className="font-medium">{staff.email}</span>.
      </p>
      <AdminConfirmForm next={next} />
    </div>
  );
}
