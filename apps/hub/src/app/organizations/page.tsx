import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateOrganizationForm } from '@/components/create-organization-form';
import { requireSession } from '@/lib/auth/get-session';
import { loadMyOrganizations } from '@/lib/organizations/load-my-organizations';
import { ROLE_LABELS } from '@/lib/organizations/role-labels';

export const metadata: Metadata = { title: 'Business accounts' };

/** The user's business accounts and a form to create one; their personal account stays as it is. */
export default async function OrganizationsPage() {
  const { user, session } = await requireSession('/organizations');
  const organizations = await loadMyOrganizations(user.id);
  const activeId = session.activeOrganizationId ?? null;
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-semibold tracking-tight">Business accounts</h1>
      <p className="mt-2 text-slate-600">
        A business account lets a team share one subscription. Your personal account stays yours; choose which
        one you act for in the header.
      </p>
      <section className="mt-8" aria-labelledby="mine-heading">
        <h2 id="mine-heading" className="text-lg font-semibold">
          Your business accounts
        </h2>
        {organizations.length === 0 ? (
          <p className="mt-2 rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-8 text-center text-sm text-slate-600">
            You are not in any business account yet. Create one below, or ask a colleague to invite you.
          </p>
        ) : (
          <ul className="mt-4 divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white">
            {organizations.map((organization) => (
              <li key={organization.id}>
                <Link
                  href={`/organizations/${encodeURIComponent(organization.slug)}`}
                  className="flex items-center justify-between gap-4 px-4 py-4 hover:bg-slate-50 sm:px-6"
                >
                  <span className="min-w-0 truncate font-medium">{organization.name}</span>
                  <span className="shrink-0 text-sm text-slate-500">
                    {ROLE_LABELS[organization.role]}
                    {organization.id === activeId ? ' · active' : ''}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="mt-10" aria-labelledby="create-heading">
        <h2 id="create-heading" className="mb-4 text-lg font-semibold">
          Create a business account
        </h2>
        <CreateOrganizationForm email={user.email} />
      </section>
    </div>
  );
}
