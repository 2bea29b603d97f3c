import { AppError } from '@omg/platform';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { OrganizationMembers } from '@/components/organization-members';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { getOrganizationOverview } from '@/lib/organizations/get-organization-overview';
import { requireOrganizationRole } from '@/lib/organizations/require-organization-role';
import { ROLE_LABELS } from '@/lib/organizations/role-labels';

export const metadata: Metadata = { title: 'Business account' };

/** One business account's members, invitations and danger zone; 404 for anyone who is not a member. */
export default async function OrganizationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user } = await requireSession(`/organizations/${encodeURIComponent(slug)}`);
  let membership: Awaited<ReturnType<typeof requireOrganizationRole>>;
  try {
    membership = await requireOrganizationRole(user.id, slug, 'view');
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const overview = await getOrganizationOverview(db(), membership);
  return (
    <div className="max-w-3xl">
      <Link href="/organizations" className="text-sm text-slate-500 hover:text-slate-800">
        ← Business accounts
      </Link>
      <h1 className="mt-2 break-words text-3xl font-semibold tracking-tight">{overview.organization.name}</h1>
      <p className="mt-2 text-sm text-slate-600">
        You are {overview.you.role === 'admin' || overview.you.role === 'owner' ? 'an' : 'a'}{' '}
        <strong>{ROLE_LABELS[overview.you.role].toLowerCase()}</strong>. Billing email:{' '}
        <span className="break-all">{overview.organization.billingEmail}</span>
      </p>
      <div className="mt-8">
        <OrganizationMembers overview={overview} userId={user.id} />
      </div>
    </div>
  );
}
